/** Archive fixtures for the store tests: a patient, a sent-message copy and keyrings before and after rotation. */
import crypto from 'node:crypto';
import { parseCodecKeyring, type CodecKeyring } from '../../common/codec-keys';
import { ArchiveRepository } from '../../integrations/store/archive-repository';
import type { SendingCopy } from '../../integrations/store/archive-records';
import { openArchiveDb, type ArchiveDb } from '../../integrations/store/database';
import { FieldEncryption } from '../../integrations/store/field-encryption';
import { openArchive, type OpenArchive } from '../../integrations/store/open-archive';
import { freshTestDatabase, sharedTestArchiveUrl, type DatabaseBackend } from './databases';

/** A valid test NHS number (Modulus 11) and a name and birth date no other fixture uses, for the plaintext scans. */
export const ARCHIVE_PATIENT = {
  nhsNumber: '9434765919',
  name: { given: ['Zephyrine'], family: 'Quillfeather' },
  birthDate: '1937-02-23',
} as const;

const key = (fill: number): string => Buffer.alloc(32, fill).toString('base64');
export const KEYRING_BEFORE_ROTATION: CodecKeyring = parseCodecKeyring({ keys: { k1: key(1) } }, 'test');
export const KEYRING_AFTER_ROTATION: CodecKeyring = parseCodecKeyring(
  { activeKeyId: 'k2', keys: { k1: key(1), k2: key(2) } },
  'test',
);

export function archiveRepository(
  db: ArchiveDb,
  keyring = KEYRING_BEFORE_ROTATION,
  searchKeyId = 'k1',
): ArchiveRepository {
  return new ArchiveRepository(db, new FieldEncryption(keyring, searchKeyId));
}

export async function openTestArchive(url: string): Promise<ArchiveDb> {
  return openArchiveDb({ url, poolSize: 4 });
}

/** The message body carries the patient too, as an ITK3 message does. */
export function sendingCopy(overrides: Partial<SendingCopy> = {}): SendingCopy {
  const body = `<Bundle><nhsNumber>${ARCHIVE_PATIENT.nhsNumber}</nhsNumber><family>${ARCHIVE_PATIENT.name.family}</family><birthDate>${ARCHIVE_PATIENT.birthDate}</birthDate></Bundle>`;
  return {
    localId: crypto.randomUUID(),
    encounterGuid: crypto.randomUUID(),
    reportVersion: 1,
    senderOds: 'Y90001',
    recipientOds: 'X26001',
    body: Buffer.from(body, 'utf8'),
    patient: {
      ...ARCHIVE_PATIENT,
      name: { ...ARCHIVE_PATIENT.name, given: [...ARCHIVE_PATIENT.name.given] },
    },
    at: new Date('2026-11-21T09:30:00Z'),
    ...overrides,
  };
}

/** The run's shared archive (test/support/databases.ts) under `keyring`, as a test's worker or API opens it. */
export function openSharedTestArchive(keyring: CodecKeyring): Promise<OpenArchive> {
  const ids = [...keyring.keys.keys()];
  return openArchive({
    database: { url: sharedTestArchiveUrl(), poolSize: 4 },
    encryption: new FieldEncryption(keyring, ids[0]!),
  });
}

/** A repository on a fresh database of `backend`, for tests of the activities that write the archive. */
export async function freshTestArchive(
  backend: DatabaseBackend = 'postgresql',
): Promise<{ archive: ArchiveRepository; db: ArchiveDb; close(): Promise<void> }> {
  const database = await freshTestDatabase(backend);
  const db = await openTestArchive(database.url);
  return {
    archive: archiveRepository(db),
    db,
    async close() {
      await db.destroy();
      await database.close();
    },
  };
}

/** The rows the archive holds for one local id (0 or 1), counted in the table itself. */
export async function sentMessageRows(db: ArchiveDb, localId: string): Promise<number> {
  const rows = await db.selectFrom('sent_messages').select('local_id').where('local_id', '=', localId).execute();
  return rows.length;
}
