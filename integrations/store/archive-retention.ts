/**
 * Archive retention (issue 17): sent messages created before the cut-off are deleted with their answers and postal
 * records, and received messages received before it; attachments stored before the cut-off go too, because a
 * message archives its attachments inline (the ITK3 Binary), so an attachment row is only needed until the send.
 * Deletes in batches, each its own transaction, so a large purge never holds long locks.
 */
import { z } from 'zod';
import { ValidationError, fieldIssuesFromZod } from '../../domain/validation-error';
import { sql } from 'kysely';
import type { ArchiveDb } from './database';

export const ARCHIVE_RETENTION_ENV = 'FEDREPORT_ARCHIVE_RETENTION_DAYS';
/** Eight years: the NHS records management code's minimum for GP-held records of adults (see docs/deployment.md). */
export const DEFAULT_ARCHIVE_RETENTION_DAYS = 2_922;

const retentionSchema = z.object({
  [ARCHIVE_RETENTION_ENV]: z.coerce
    .number()
    .int('must be a whole number of days')
    .min(1, 'must be at least 1')
    .max(36_525, 'must be at most 36525 (100 years)')
    .default(DEFAULT_ARCHIVE_RETENTION_DAYS),
});

/** FEDREPORT_ARCHIVE_RETENTION_DAYS, default 2922 (eight years). */
export function archiveRetentionDaysFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const parsed = retentionSchema.safeParse({
    [ARCHIVE_RETENTION_ENV]: env[ARCHIVE_RETENTION_ENV] || undefined,
  });
  if (!parsed.success) throw new ValidationError('archive settings', fieldIssuesFromZod(parsed.error));
  return parsed.data[ARCHIVE_RETENTION_ENV];
}

export interface PurgeCounts {
  sentMessages: number;
  answers: number;
  receivedMessages: number;
  /** The handover's rows (received_deliveries, received_message_claims: migration 0006). */
  receivedHandovers: number;
  attachments: number;
}

const BATCH = 1_000;

/** Deletes everything archived before `cutoff`; answers how many rows of each kind went. */
export async function purgeArchivedBefore(db: ArchiveDb, cutoff: Date): Promise<PurgeCounts> {
  const counts: PurgeCounts = { sentMessages: 0, answers: 0, receivedMessages: 0, receivedHandovers: 0, attachments: 0 };
  for (;;) {
    const batch = await purgeSentBatch(db, cutoff);
    counts.sentMessages += batch.sentMessages;
    counts.answers += batch.answers;
    if (batch.sentMessages < BATCH) break;
  }
  counts.receivedMessages = await deleteInBatches(
    db,
    'received_messages',
    'mesh_message_id',
    'received_at',
    cutoff,
  );
  counts.receivedHandovers = await purgeHandoversBefore(db, cutoff);
  counts.attachments = await deleteInBatches(db, 'attachments', 'sha256', 'created_at', cutoff);
  return counts;
}

/**
 * A claim goes with its age too: a copy of a message arriving after the retention period is then taken as new, which
 * is the retention's point. A day's purge holds a day of receipts, so one statement per table suffices.
 */
async function purgeHandoversBefore(db: ArchiveDb, cutoff: Date): Promise<number> {
  const deliveries = await sql`delete from received_deliveries where received_at < ${cutoff}`.execute(db);
  const claims = await sql`delete from received_message_claims where claimed_at < ${cutoff}`.execute(db);
  return Number(deliveries.numAffectedRows ?? 0n) + Number(claims.numAffectedRows ?? 0n);
}

async function purgeSentBatch(
  db: ArchiveDb,
  cutoff: Date,
): Promise<{ sentMessages: number; answers: number }> {
  return db.transaction().execute(async (trx) => {
    const ids = (
      await trx
        .selectFrom('sent_messages')
        .select('local_id')
        .where('created_at', '<', cutoff)
        .limit(BATCH)
        .forUpdate()
        .skipLocked()
        .execute()
    ).map((row) => row.local_id);
    if (ids.length === 0) return { sentMessages: 0, answers: 0 };
    const answers = await trx.deleteFrom('message_answers').where('local_id', 'in', ids).executeTakeFirst();
    // Postal records go by their foreign key's cascade (migrations/0004-print-queue.ts).
    const messages = await trx.deleteFrom('sent_messages').where('local_id', 'in', ids).executeTakeFirst();
    return { sentMessages: Number(messages.numDeletedRows), answers: Number(answers.numDeletedRows) };
  });
}

async function deleteInBatches(
  db: ArchiveDb,
  table: 'received_messages' | 'attachments',
  key: 'mesh_message_id' | 'sha256',
  time: 'received_at' | 'created_at',
  cutoff: Date,
): Promise<number> {
  let total = 0;
  for (;;) {
    const result = await db
      .deleteFrom(table)
      .where(key, 'in', (eb) => eb.selectFrom(table).select(key).where(time, '<', cutoff).limit(BATCH))
      .executeTakeFirst();
    const deleted = Number(result.numDeletedRows);
    total += deleted;
    if (deleted < BATCH) return total;
  }
}
