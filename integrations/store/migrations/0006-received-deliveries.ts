/**
 * The receiver's handover (issue 18): each downloaded Send Document MESH message kept, sealed, from the inbox's poll
 * until its received-message workflow has decided it (then the body is dropped: an accepted document lives on in
 * `received_messages`), with that decision; and one claim per received message (mailbox + MessageHeader id, as the
 * PHI-free workflow id), so a second copy is recognised as a duplicate however long after the first it comes.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('received_deliveries')
    .addColumn('mesh_message_id', 'text', (col) => col.primaryKey())
    .addColumn('mailbox', 'text', (col) => col.notNull())
    .addColumn('received_message_id', 'text', (col) => col.notNull())
    .addColumn('received_at', 'timestamptz', (col) => col.notNull())
    .addColumn('body_bytes', 'integer', (col) => col.notNull())
    .addColumn('key_id', 'text', (col) => col.notNull())
    .addColumn('sealed_body', 'bytea')
    .addColumn('decided_by_run', 'text')
    .addColumn('decision', 'text')
    .execute();
  await db.schema
    .createTable('received_message_claims')
    .addColumn('received_message_id', 'text', (col) => col.primaryKey())
    .addColumn('mesh_message_id', 'text', (col) => col.notNull())
    .addColumn('claimed_at', 'timestamptz', (col) => col.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('received_message_claims').execute();
  await db.schema.dropTable('received_deliveries').execute();
}
