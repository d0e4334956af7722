/**
 * What the archive kept, checked against what reached the recipients: each report found in a recipient's mailbox must
 * have exactly one archived copy (rows counted by local id), completed with the MESH message id it was delivered under.
 */
import { createArchiveDb } from '../../integrations/store/database';

export interface ArchiveCheck {
  /** Reports in the recipients' mailboxes (distinct local ids). */
  delivered: number;
  /** Of those, how many have exactly one archived copy completed with the delivered message's MESH id. */
  archivedOnce: number;
  /** Delivered with no archived copy. */
  missing: number;
  /** Delivered with a copy that is not exactly one completed row naming the delivered message. */
  mismatched: number;
  passed: boolean;
}

/** `delivered`: local id → MESH message ids found in the recipients' mailboxes (recipient-ledger.ts). */
export async function checkArchive(
  databaseUrl: string,
  delivered: ReadonlyMap<string, readonly string[]>,
): Promise<ArchiveCheck> {
  const localIds = [...delivered.keys()];
  const db = createArchiveDb({ url: databaseUrl, poolSize: 1 });
  try {
    const rows =
      localIds.length === 0
        ? []
        : await db
            .selectFrom('sent_messages')
            .select(['local_id', 'mesh_message_id', 'state'])
            .where('local_id', 'in', localIds)
            .execute();
    const rowsOf = (localId: string) => rows.filter((row) => row.local_id === localId);
    let missing = 0;
    let mismatched = 0;
    for (const [localId, messageIds] of delivered) {
      const archived = rowsOf(localId);
      if (archived.length === 0) missing += 1;
      else if (
        archived.length > 1 ||
        archived[0]!.state === 'sending' ||
        !messageIds.includes(archived[0]!.mesh_message_id ?? '')
      )
        mismatched += 1;
    }
    const archivedOnce = localIds.length - missing - mismatched;
    return {
      delivered: localIds.length,
      archivedOnce,
      missing,
      mismatched,
      passed: missing + mismatched === 0,
    };
  } finally {
    await db.destroy();
  }
}
