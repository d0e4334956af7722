/**
 * Versions and replacements of received documents (issue 18): the document's identifier, its version, the document
 * it replaces and the document that superseded it, all plain (UUIDs and a number; domain/received-document-identity.ts
 * keeps sender-written text out). Rows held before this migration keep nulls: their identifiers are only in the sealed
 * body, which a migration cannot open. The indexes serve the links, which stay inside one receiving practice.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('received_messages')
    .addColumn('document_id', 'text')
    .addColumn('document_version', 'integer', (col) => col.check(sql`document_version >= 1`))
    .addColumn('replaces_document_id', 'text')
    .addColumn('superseded_by_document_id', 'text')
    .execute();
  await db.schema
    .createIndex('received_messages_document')
    .on('received_messages')
    .columns(['recipient_ods', 'document_id'])
    .execute();
  await db.schema
    .createIndex('received_messages_replaces')
    .on('received_messages')
    .columns(['recipient_ods', 'replaces_document_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('received_messages_replaces').execute();
  await db.schema.dropIndex('received_messages_document').execute();
  await db.schema
    .alterTable('received_messages')
    .dropColumn('superseded_by_document_id')
    .dropColumn('replaces_document_id')
    .dropColumn('document_version')
    .dropColumn('document_id')
    .execute();
}
