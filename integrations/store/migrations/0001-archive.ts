/**
 * The archive (issue 17): sent messages with their answers, received messages and content-addressed attachments.
 * Plain columns are only those searched or needed to route (ids, ODS codes, dates, states, key ids, the NHS-number
 * hash); patient data is in `sealed_*` columns. Attachments are immutable: a trigger refuses updates.
 */
import { sql, type Kysely } from 'kysely';
import { ANSWER_KINDS, SENT_MESSAGE_STATES } from '../archive-schema';

const isOneOf = (column: string, values: readonly string[]) =>
  sql`${sql.ref(column)} in (${sql.join(values.map((value) => sql.lit(value)))})`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('sent_messages')
    .addColumn('local_id', 'text', (col) => col.primaryKey())
    .addColumn('mesh_message_id', 'text', (col) => col.unique())
    .addColumn('encounter_guid', 'text', (col) => col.notNull())
    .addColumn('report_version', 'integer', (col) => col.notNull())
    .addColumn('sender_ods', 'text', (col) => col.notNull())
    .addColumn('recipient_ods', 'text', (col) => col.notNull())
    .addColumn('sha256', 'text', (col) => col.notNull())
    .addColumn('state', 'text', (col) => col.notNull())
    .addColumn('created_at', 'timestamptz', (col) => col.notNull())
    .addColumn('sent_at', 'timestamptz')
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull())
    .addColumn('key_id', 'text', (col) => col.notNull())
    .addColumn('nhs_number_hash', 'text', (col) => col.notNull())
    .addColumn('sealed_body', 'bytea', (col) => col.notNull())
    .addColumn('sealed_patient', 'bytea', (col) => col.notNull())
    .addCheckConstraint('sent_messages_state', isOneOf('state', SENT_MESSAGE_STATES))
    .execute();
  await db.schema
    .createIndex('sent_messages_encounter')
    .on('sent_messages')
    .column('encounter_guid')
    .execute();
  await db.schema
    .createIndex('sent_messages_nhs_number')
    .on('sent_messages')
    .column('nhs_number_hash')
    .execute();
  await db.schema
    .createIndex('sent_messages_sender')
    .on('sent_messages')
    .columns(['sender_ods', 'created_at'])
    .execute();
  await db.schema
    .createIndex('sent_messages_recipient')
    .on('sent_messages')
    .columns(['recipient_ods', 'created_at'])
    .execute();
  await db.schema
    .createIndex('sent_messages_state_created')
    .on('sent_messages')
    .columns(['state', 'created_at'])
    .execute();

  await db.schema
    .createTable('message_answers')
    .addColumn('id', 'bigserial', (col) => col.primaryKey())
    .addColumn('local_id', 'text', (col) => col.notNull().references('sent_messages.local_id'))
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('mesh_message_id', 'text', (col) => col.notNull().unique())
    .addColumn('code', 'text', (col) => col.notNull())
    .addColumn('received_at', 'timestamptz', (col) => col.notNull())
    .addColumn('sha256', 'text', (col) => col.notNull())
    .addColumn('key_id', 'text', (col) => col.notNull())
    .addColumn('sealed_body', 'bytea', (col) => col.notNull())
    .addCheckConstraint('message_answers_kind', isOneOf('kind', ANSWER_KINDS))
    .execute();
  await db.schema.createIndex('message_answers_local_id').on('message_answers').column('local_id').execute();

  await db.schema
    .createTable('received_messages')
    .addColumn('mesh_message_id', 'text', (col) => col.primaryKey())
    .addColumn('local_id', 'text')
    .addColumn('encounter_guid', 'text')
    .addColumn('sender_ods', 'text', (col) => col.notNull())
    .addColumn('recipient_ods', 'text', (col) => col.notNull())
    .addColumn('sha256', 'text', (col) => col.notNull())
    .addColumn('state', 'text', (col) => col.notNull())
    .addColumn('received_at', 'timestamptz', (col) => col.notNull())
    .addColumn('key_id', 'text', (col) => col.notNull())
    .addColumn('nhs_number_hash', 'text')
    .addColumn('sealed_body', 'bytea', (col) => col.notNull())
    .addColumn('sealed_patient', 'bytea')
    .execute();
  await db.schema
    .createIndex('received_messages_encounter')
    .on('received_messages')
    .column('encounter_guid')
    .execute();
  await db.schema
    .createIndex('received_messages_nhs_number')
    .on('received_messages')
    .column('nhs_number_hash')
    .execute();
  await db.schema
    .createIndex('received_messages_recipient')
    .on('received_messages')
    .columns(['recipient_ods', 'received_at'])
    .execute();

  await db.schema
    .createTable('attachments')
    .addColumn('sha256', 'text', (col) => col.primaryKey())
    .addColumn('media_type', 'text', (col) => col.notNull())
    .addColumn('size_bytes', 'integer', (col) => col.notNull())
    .addColumn('created_at', 'timestamptz', (col) => col.notNull())
    .addColumn('key_id', 'text', (col) => col.notNull())
    .addColumn('sealed_content', 'bytea', (col) => col.notNull())
    .execute();
  await sql`
    create function attachments_are_immutable() returns trigger language plpgsql as $$
    begin
      raise exception 'attachments are content-addressed and immutable';
    end $$`.execute(db);
  await sql`
    create trigger attachments_immutable before update on attachments
    for each row execute function attachments_are_immutable()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['attachments', 'received_messages', 'message_answers', 'sent_messages']) {
    await db.schema.dropTable(table).execute();
  }
  await sql`drop function attachments_are_immutable()`.execute(db);
}
