/**
 * Attachments by reference on both back ends: a save's attachments stored in the archive and replaced by their
 * digests, read back as the client sent them; a missing or altered one refused, naming the attachment and digest.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseConsultationSnapshot, type ResolvedSnapshot } from '../../../domain/snapshot';
import type { ArchiveRepository } from '../../../integrations/store/archive-repository';
import type { ArchiveDb } from '../../../integrations/store/database';
import {
  AttachmentIntegrityError,
  attachmentBytes,
  resolveSnapshotAttachments,
  storeSnapshotAttachments,
  type AttachmentStore,
} from '../../../integrations/store/snapshot-attachments';
import { archiveRepository, openTestArchive } from '../../support/archive';
import { DATABASE_BACKENDS, freshTestDatabase, type TestDatabase } from '../../support/databases';

const EXAMPLE = path.resolve(__dirname, '../../../examples/consultation-temporary-resident.json');

function snapshotWithAttachments(...contents: Buffer[]): ResolvedSnapshot {
  const input = JSON.parse(fs.readFileSync(EXAMPLE, 'utf8'));
  input.consultation.attachments = contents.map((content, i) => ({
    id: `doc-${i + 1}`,
    title: `Document ${i + 1}`,
    contentType: 'application/pdf',
    data: content.toString('base64'),
  }));
  return parseConsultationSnapshot(input);
}

describe.each(DATABASE_BACKENDS)('attachments by reference on %s', (backend) => {
  let database: TestDatabase;
  let db: ArchiveDb;
  let archive: ArchiveRepository;
  beforeAll(async () => {
    database = await freshTestDatabase(backend);
    db = await openTestArchive(database.url);
    archive = archiveRepository(db);
  });
  afterAll(async () => {
    await db.destroy();
    await database.close();
  });

  it('stores each attachment once and carries its digest and size; reading back gives the snapshot as sent', async () => {
    const content = crypto.randomBytes(200_000);
    const snapshot = snapshotWithAttachments(content, Buffer.from('a second document'));
    const stored = await storeSnapshotAttachments(archive, snapshot);
    const sha256 = crypto.createHash('sha256').update(content).digest('hex');
    expect(stored.consultation.attachments[0]).toEqual({
      id: 'doc-1',
      title: 'Document 1',
      contentType: 'application/pdf',
      sha256,
      sizeBytes: 200_000,
    });
    expect(JSON.stringify(stored).length).toBeLessThan(JSON.stringify(snapshot).length / 100);
    expect(attachmentBytes(stored)).toBe(attachmentBytes(snapshot));
    expect(await storeSnapshotAttachments(archive, snapshot)).toEqual(stored); // the same content, the same key
    expect(await resolveSnapshotAttachments(archive, stored)).toEqual(snapshot);
  });

  it('passes snapshots with inline content (saved before references) through unchanged', async () => {
    const snapshot = snapshotWithAttachments(Buffer.from('inline document'));
    expect(await resolveSnapshotAttachments(undefined, snapshot)).toEqual(snapshot);
  });

  it('refuses content that does not match its digest, a digest the archive does not hold, and no archive', async () => {
    const stored = await storeSnapshotAttachments(
      archive,
      snapshotWithAttachments(Buffer.from('the original')),
    );
    const altered: AttachmentStore = {
      storeAttachment: (content, mediaType) => archive.storeAttachment(content, mediaType),
      readAttachment: async (sha256) => {
        const original = await archive.readAttachment(sha256);
        return original && { ...original, content: Buffer.from('the altered!') };
      },
    };
    const error = await resolveSnapshotAttachments(altered, stored).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AttachmentIntegrityError);
    expect((error as Error).message).toMatch(
      /^attachment doc-1: the archived content \(sha256 [0-9a-f]{64}, 12 bytes\) does not match its reference/,
    );

    const [reference] = stored.consultation.attachments;
    const unknown = {
      ...stored,
      consultation: { ...stored.consultation, attachments: [{ ...reference!, sha256: 'f'.repeat(64) }] },
    };
    await expect(resolveSnapshotAttachments(archive, unknown)).rejects.toThrow(
      `attachment doc-1: the archive holds no content with sha256 ${'f'.repeat(64)}`,
    );
    await expect(resolveSnapshotAttachments(undefined, stored)).rejects.toThrow(
      /this worker has no archive database/,
    );
  });
});
