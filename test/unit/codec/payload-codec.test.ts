import crypto from 'node:crypto';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import type { CodecKeyring } from '../../../common/codec-keys';
import { failureConverter } from '../../../common/failure-converter';
import {
  AesGcmPayloadCodec,
  ENCRYPTED_ENCODING,
  KEY_ID_METADATA_KEY,
  PayloadDecryptionError,
  PlaintextPayloadError,
  UnknownCodecKeyError,
  payloadCodecOptionsFromEnv,
} from '../../../common/payload-codec';

const k1 = crypto.randomBytes(32);
const k2 = crypto.randomBytes(32);
const keyring = (activeKeyId: string, keys: Record<string, Buffer>): CodecKeyring => ({
  activeKeyId,
  keys: new Map(Object.entries(keys)),
});
const text = (bytes: Uint8Array | null | undefined): string => Buffer.from(bytes ?? []).toString('utf8');

const patient = { nhsNumber: '9990000018', family: 'Whitfield', birthDate: '1958-03-14' };
const plain = (): Payload => defaultPayloadConverter.toPayload(patient);

describe('AES-256-GCM payload codec', () => {
  it('round-trips a payload and stores neither the value nor its original encoding in the clear', async () => {
    const codec = new AesGcmPayloadCodec(keyring('k1', { k1 }));
    const [encoded] = await codec.encode([plain()]);
    expect(text(encoded?.metadata?.encoding)).toBe(ENCRYPTED_ENCODING);
    expect(text(encoded?.metadata?.[KEY_ID_METADATA_KEY])).toBe('k1');
    const stored = Buffer.concat([
      Buffer.from(encoded!.data!),
      ...Object.values(encoded!.metadata!).map((v) => Buffer.from(v)),
    ]).toString('latin1');
    for (const needle of ['9990000018', 'Whitfield', '1958-03-14', 'json/plain'])
      expect(stored).not.toContain(needle);

    const [decoded] = await codec.decode([encoded!]);
    expect(defaultPayloadConverter.fromPayload(decoded!)).toEqual(patient);
    expect(text(decoded?.metadata?.encoding)).toBe('json/plain');
  });

  it('uses a fresh IV for every payload, so equal values give different ciphertexts', async () => {
    const codec = new AesGcmPayloadCodec(keyring('k1', { k1 }));
    const [a, b] = await codec.encode([plain(), plain()]);
    expect(Buffer.from(a!.data!).equals(Buffer.from(b!.data!))).toBe(false);
  });

  it('keeps decoding payloads written under the old key after the active key is rotated', async () => {
    const [old] = await new AesGcmPayloadCodec(keyring('k1', { k1 })).encode([plain()]);
    const rotated = new AesGcmPayloadCodec(keyring('k2', { k1, k2 }));
    const [fresh] = await rotated.encode([plain()]);
    expect(text(fresh?.metadata?.[KEY_ID_METADATA_KEY])).toBe('k2');
    const decoded = await rotated.decode([old!, fresh!]);
    expect(decoded.map((p) => defaultPayloadConverter.fromPayload(p))).toEqual([patient, patient]);
  });

  it('detects a payload altered in storage', async () => {
    const codec = new AesGcmPayloadCodec(keyring('k1', { k1 }));
    const [encoded] = await codec.encode([plain()]);
    const data = Buffer.from(encoded!.data!);
    data[20] = data[20]! ^ 0x01;
    await expect(codec.decode([{ ...encoded, data }])).rejects.toThrow(PayloadDecryptionError);
    await expect(codec.decode([{ ...encoded, data: data.subarray(0, 10) }])).rejects.toThrow(/too short/);
  });

  it('detects a payload relabelled with another known key id', async () => {
    const codec = new AesGcmPayloadCodec(keyring('k1', { k1, k2 }));
    const [encoded] = await codec.encode([plain()]);
    const relabelled = {
      ...encoded,
      metadata: { ...encoded!.metadata, [KEY_ID_METADATA_KEY]: Buffer.from('k2') },
    };
    await expect(codec.decode([relabelled])).rejects.toThrow(/key "k2".*authentication failed/);
  });

  it('names the unknown key id it was asked for, and none of the ids it holds', async () => {
    const [encoded] = await new AesGcmPayloadCodec(keyring('k1', { k1 })).encode([plain()]);
    const error = await new AesGcmPayloadCodec(keyring('held-key', { 'held-key': k2 }))
      .decode([encoded!])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnknownCodecKeyError);
    expect(error).toMatchObject({ keyId: 'k1' });
    expect((error as Error).message).toMatch(/"k1"/);
    expect((error as Error).message).not.toContain('held-key');
  });

  it('rejects an encrypted payload without a key id', async () => {
    const codec = new AesGcmPayloadCodec(keyring('k1', { k1 }));
    const [encoded] = await codec.encode([plain()]);
    const { [KEY_ID_METADATA_KEY]: _dropped, ...metadata } = encoded!.metadata!;
    await expect(codec.decode([{ ...encoded, metadata }])).rejects.toThrow(/no encryption-key-id/);
  });
});

describe('unencrypted payloads', () => {
  it('are refused with a non-retryable error that names no payload content', async () => {
    const codec = new AesGcmPayloadCodec(keyring('k1', { k1 }));
    const [encrypted] = await codec.encode([plain()]);
    const error = await codec.decode([encrypted!, plain()]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlaintextPayloadError);
    expect(error).toMatchObject({ nonRetryable: true, type: 'PlaintextPayload' });
    expect((error as Error).message).toMatch(/not encrypted.*FEDREPORT_CODEC_ACCEPT_PLAINTEXT=1/);
    for (const needle of Object.values(patient)) expect((error as Error).message).not.toContain(needle);
  });

  it('pass through unchanged only with the migration flag', async () => {
    const codec = new AesGcmPayloadCodec(keyring('k1', { k1 }), { acceptPlaintext: true });
    const payload = plain();
    await expect(codec.decode([payload])).resolves.toEqual([payload]);
  });

  it('reads the migration flag from FEDREPORT_CODEC_ACCEPT_PLAINTEXT, off by default', () => {
    expect(payloadCodecOptionsFromEnv({})).toEqual({ acceptPlaintext: false });
    expect(payloadCodecOptionsFromEnv({ FEDREPORT_CODEC_ACCEPT_PLAINTEXT: '1' })).toEqual({
      acceptPlaintext: true,
    });
    expect(() => payloadCodecOptionsFromEnv({ FEDREPORT_CODEC_ACCEPT_PLAINTEXT: 'yes' })).toThrow(
      /FEDREPORT_CODEC_ACCEPT_PLAINTEXT.*must be true or false/,
    );
  });
});

describe('failure converter', () => {
  it('moves the failure message and stack into an encoded payload, which the codec then encrypts', () => {
    const failure = failureConverter.errorToFailure(
      new Error('PDS has no record for 9990000018'),
      defaultPayloadConverter,
    );
    expect(failure.message).not.toContain('9990000018');
    expect(failure.stackTrace ?? '').not.toContain('9990000018');
    expect(failure.encodedAttributes).toBeDefined();
  });
});
