/**
 * The size budget of a snapshot is measured as Temporal stores it: JSON, then the AES-GCM codec. The codec's overhead
 * is a constant ~150 bytes (IV, tag, key id and the serialised inner payload's metadata), whatever the snapshot's size.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { AesGcmPayloadCodec } from '../../../common/payload-codec';
import { DEFAULT_MAX_SNAPSHOT_BYTES, encodedPayloadBytes } from '../../../client/encounters';
import { parseConsultationSnapshot } from '../../../domain/snapshot';

const keyring = { activeKeyId: 'test1', keys: new Map([['test1', crypto.randomBytes(32)]]) };
const clientWithCodec = {
  options: {
    loadedDataConverter: {
      payloadConverter: defaultPayloadConverter,
      payloadCodecs: [new AesGcmPayloadCodec(keyring)],
    },
  },
} as unknown as Client;

function snapshotWithAttachment(bytes: number) {
  const file = path.resolve(__dirname, '../../../examples/consultation-temporary-resident.json');
  const input = JSON.parse(fs.readFileSync(file, 'utf8'));
  input.consultation.attachments = [
    {
      id: 'scan',
      title: 'Scan',
      contentType: 'application/pdf',
      data: crypto.randomBytes(bytes).toString('base64'),
    },
  ];
  return parseConsultationSnapshot(input);
}

describe('encoded snapshot size', () => {
  it.each([3, 100_000, 1_000_000])(
    'adds a small constant to the JSON (attachment of %i bytes)',
    async (bytes) => {
      const snapshot = snapshotWithAttachment(bytes);
      const json = Buffer.byteLength(JSON.stringify(snapshot));
      const overhead = (await encodedPayloadBytes(clientWithCodec, snapshot)) - json;
      expect(overhead).toBeGreaterThan(28); // at least the 12-byte IV and the 16-byte tag
      expect(overhead).toBeLessThan(200);
    },
  );

  it('fits the 1.5 MiB default around 1.1 MB of attachments, a quarter below the 2 MB blob limit', async () => {
    expect(DEFAULT_MAX_SNAPSHOT_BYTES).toBe(1_572_864);
    const largest = snapshotWithAttachment(1_150_000); // base64 grows it by a third
    expect(await encodedPayloadBytes(clientWithCodec, largest)).toBeLessThan(DEFAULT_MAX_SNAPSHOT_BYTES);
    expect(await encodedPayloadBytes(clientWithCodec, snapshotWithAttachment(1_200_000))).toBeGreaterThan(
      DEFAULT_MAX_SNAPSHOT_BYTES,
    );
  });
});
