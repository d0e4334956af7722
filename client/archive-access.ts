/**
 * The archive as the operator tools open it from their environment, exactly as the worker does
 * (integrations/store/open-archive.ts: FEDREPORT_DATABASE_*, the codec keyring, FEDREPORT_ARCHIVE_SEARCH_KEY_ID), so
 * a tool reads what the worker wrote. Settings are checked before any connection is made.
 */
import { loadCodecKeyring } from '../common/codec-keys';
import type { ArchiveRepository } from '../integrations/store/archive-repository';
import { archiveSettingsFromEnv, openArchive } from '../integrations/store/open-archive';
import { PrintQueue } from '../integrations/store/print-queue';
import { ReceivedDocumentQueries } from '../integrations/store/received-document-queries';

export interface OperatorArchive {
  archive: ArchiveRepository;
  printQueue: PrintQueue;
  /** The documents fedreport received for the practices. */
  documents: ReceivedDocumentQueries;
}

/** Opens the archive for `use` (two connections at most) and closes it afterwards. */
export async function withArchive<T>(
  use: (opened: OperatorArchive) => Promise<T>,
  env = process.env,
): Promise<T> {
  const settings = archiveSettingsFromEnv(loadCodecKeyring(env), env);
  const opened = await openArchive({ ...settings, database: { ...settings.database, poolSize: 2 } });
  try {
    return await use({
      archive: opened.repository,
      printQueue: new PrintQueue(opened.db),
      documents: new ReceivedDocumentQueries(opened.db, settings.encryption),
    });
  } finally {
    await opened.close();
  }
}
