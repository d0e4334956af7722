/**
 * Replacement links between received documents (issue 18, domain-reference §5.6): a document whose
 * `replaces_document_id` names an earlier document marks that one superseded (`superseded_by_document_id`), whichever
 * arrived first. Only documents of the same receiving practice, sending practice and patient (NHS-number hash) are
 * linked: a sender cannot supersede another practice's documents, nor a document about someone else.
 *
 * Why no lock is needed: the link is one statement run after the row's insert has committed (the repository runs both
 * outside any transaction), and PostgreSQL's READ COMMITTED statement sees every row committed before it starts. Of
 * two documents held at once, the one whose link runs second therefore sees both rows and links them. Linking only
 * fills an empty `superseded_by_document_id`, so it is idempotent and two statements racing on a row set it once.
 * When two documents claim to replace the same one (a sender's fault), the first received is kept.
 */
import { sql } from 'kysely';
import type { ArchiveDb } from './database';

/** The version links of one received document, all plain (document ids are domain/received-document-identity.ts). */
export interface ReceivedDocumentLinks {
  /** Null for a row held before migration 0008. */
  documentId: string | null;
  version: number | null;
  replacesDocumentId: string | null;
  supersededByDocumentId: string | null;
  /** MESH message ids of this practice's rows holding the document this one replaced (several if it came twice). */
  replacesMeshMessageIds: string[];
  /** MESH message ids of this practice's rows holding the document that superseded this one. */
  supersededByMeshMessageIds: string[];
}

/** Links the held row `meshMessageId` both ways: to the documents it replaces and to the one that supersedes it. */
export async function linkReplacements(db: ArchiveDb, meshMessageId: string): Promise<void> {
  await sql`
    with held as (
      select recipient_ods, sender_ods, nhs_number_hash, document_id, replaces_document_id
      from received_messages where mesh_message_id = ${meshMessageId}
    ), links as (
      select distinct on (older.mesh_message_id) older.mesh_message_id, newer.document_id
      from held
      join received_messages older
        on older.recipient_ods = held.recipient_ods and older.sender_ods = held.sender_ods
       and older.nhs_number_hash = held.nhs_number_hash
       and older.document_id in (held.document_id, held.replaces_document_id)
      join received_messages newer
        on newer.recipient_ods = older.recipient_ods and newer.sender_ods = older.sender_ods
       and newer.nhs_number_hash = older.nhs_number_hash
       and newer.replaces_document_id = older.document_id and newer.document_id <> older.document_id
      where older.superseded_by_document_id is null
      order by older.mesh_message_id, newer.received_at, newer.mesh_message_id
    )
    update received_messages set superseded_by_document_id = links.document_id
    from links
    where received_messages.mesh_message_id = links.mesh_message_id
      and received_messages.superseded_by_document_id is null`.execute(db);
}

export async function linksOf(
  db: ArchiveDb,
  meshMessageId: string,
): Promise<ReceivedDocumentLinks | undefined> {
  const row = await db
    .selectFrom('received_messages')
    .select([
      'recipient_ods',
      'sender_ods',
      'nhs_number_hash',
      'document_id',
      'document_version',
      'replaces_document_id',
      'superseded_by_document_id',
    ])
    .where('mesh_message_id', '=', meshMessageId)
    .executeTakeFirst();
  if (!row) return undefined;
  const linkedRows = async (documentId: string | null, pointingBack: 'replaces' | 'supersededBy') => {
    if (!row.document_id || !documentId) return [];
    const rows = await db
      .selectFrom('received_messages')
      .select('mesh_message_id')
      .where('recipient_ods', '=', row.recipient_ods)
      .where('sender_ods', '=', row.sender_ods)
      .where('nhs_number_hash', '=', row.nhs_number_hash)
      .where('document_id', '=', documentId)
      .where(
        pointingBack === 'replaces' ? 'superseded_by_document_id' : 'replaces_document_id',
        '=',
        row.document_id,
      )
      .orderBy('received_at')
      .orderBy('mesh_message_id')
      .execute();
    return rows.map((r) => r.mesh_message_id);
  };
  return {
    documentId: row.document_id,
    version: row.document_version,
    replacesDocumentId: row.replaces_document_id,
    supersededByDocumentId: row.superseded_by_document_id,
    replacesMeshMessageIds: await linkedRows(row.replaces_document_id, 'replaces'),
    supersededByMeshMessageIds: await linkedRows(row.superseded_by_document_id, 'supersededBy'),
  };
}
