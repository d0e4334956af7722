/**
 * The print fallback (issue 17): an operator's choice to post a report, and the record that it was posted. A row
 * goes with its sent message when the retention purge deletes that message.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('postal_copies')
    .addColumn('local_id', 'text', (col) =>
      col.primaryKey().references('sent_messages.local_id').onDelete('cascade'),
    )
    .addColumn('requested_by', 'text')
    .addColumn('requested_at', 'timestamptz')
    .addColumn('posted_by', 'text')
    .addColumn('posted_at', 'timestamptz')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('postal_copies').execute();
}
