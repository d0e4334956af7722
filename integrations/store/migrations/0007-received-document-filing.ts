/**
 * The document inbox's filing (issue 18): the receiving mailbox of each received message, so the API and CLI can
 * reach the message's workflow (its id derives from the mailbox and the MessageHeader id), and a refusal's business
 * code (plain: a 3xxxx code) with the reason the practice typed, sealed as the document is (it may name the patient).
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('received_messages')
    .addColumn('mailbox', 'text')
    .addColumn('refusal_code', 'text')
    .addColumn('sealed_refusal', 'bytea')
    .execute();
  await db.schema
    .createIndex('received_messages_inbox')
    .on('received_messages')
    .columns(['recipient_ods', 'state', 'received_at', 'mesh_message_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('received_messages_inbox').execute();
  await db.schema
    .alterTable('received_messages')
    .dropColumn('mailbox')
    .dropColumn('refusal_code')
    .dropColumn('sealed_refusal')
    .execute();
}
