/**
 * The archive as the operator tools open it from their environment: FEDREPORT_DATABASE_URL for the database and the
 * codec keyring (FEDREPORT_CODEC_*, FEDREPORT_ARCHIVE_SEARCH_KEY_ID) for its sealed columns, exactly as the worker
 * opens it, so a tool reads what the worker wrote. Settings are checked before any connection is made.
 */
import { loadCodecKeyring } from '../common/codec-keys';
import { ArchiveRepository } from '../integrations/store/archive-repository';
import { openArchiveDb, type ArchiveDb } from '../integrations/store/database';
import { databaseSettingsFromEnv } from '../integrations/store/database-settings';
import { fieldEncryptionFromEnv } from '../integrations/store/field-encryption';
import { PrintQueue } from '../integrations/store/print-queue';

export interface OpenArchive {
  db: ArchiveDb;
  archive: ArchiveRepository;
  printQueue: PrintQueue;
}

/** Opens the archive for `use` and closes it afterwards. */
export async function withArchive<T>(
  use: (opened: OpenArchive) => Promise<T>,
  env = process.env,
): Promise<T> {
  const settings = databaseSettingsFromEnv(env);
  const encryption = fieldEncryptionFromEnv(loadCodecKeyring(env), env);
  const db = await openArchiveDb({ ...settings, poolSize: Math.min(settings.poolSize, 2) });
  try {
    return await use({ db, archive: new ArchiveRepository(db, encryption), printQueue: new PrintQueue(db) });
  } finally {
    await db.destroy();
  }
}
