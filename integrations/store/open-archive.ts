/**
 * The archive a process opens at start: settings read and checked first (FEDREPORT_DATABASE_*, the search key), so a
 * mistake is reported before anything connects; then the database is opened and migrated.
 */
import type { CodecKeyring } from '../../common/codec-keys';
import { ArchiveRepository } from './archive-repository';
import { openArchiveDb, type ArchiveDb } from './database';
import { databaseSettingsFromEnv, type DatabaseSettings } from './database-settings';
import { fieldEncryptionFromEnv, type FieldEncryption } from './field-encryption';
import { ReceivedDeliveryRepository } from './received-delivery-repository';
import { ReceivedDocumentRepository } from './received-document-repository';

export interface ArchiveSettings {
  readonly database: DatabaseSettings;
  readonly encryption: FieldEncryption;
}

/** The receiver's side of the archive: handed-over MESH copies and the document inbox. */
export interface ReceivedStore {
  readonly deliveries: ReceivedDeliveryRepository;
  readonly documents: ReceivedDocumentRepository;
}

export interface OpenArchive {
  readonly repository: ArchiveRepository;
  readonly received: ReceivedStore;
  readonly db: ArchiveDb;
  close(): Promise<void>;
}

/** Throws the project's ValidationError naming the setting; connects to nothing. */
export function archiveSettingsFromEnv(
  keyring: CodecKeyring,
  env: NodeJS.ProcessEnv = process.env,
): ArchiveSettings {
  return { database: databaseSettingsFromEnv(env), encryption: fieldEncryptionFromEnv(keyring, env) };
}

export async function openArchive(settings: ArchiveSettings): Promise<OpenArchive> {
  const db = await openArchiveDb(settings.database);
  return {
    repository: new ArchiveRepository(db, settings.encryption),
    received: {
      deliveries: new ReceivedDeliveryRepository(db, settings.encryption),
      documents: new ReceivedDocumentRepository(db, settings.encryption),
    },
    db,
    close: () => db.destroy(),
  };
}
