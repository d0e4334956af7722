/**
 * What the practice's clinical system reads from the document inbox (received-document-repository.ts): a practice's
 * documents by state, oldest first and a page at a time; one document's metadata, its NHS number opened from
 * `sealed_patient` and its version and replacement link read from the sealed document; the report PDF (the first
 * attachment). Scoping to a credential's practices is the caller's (client/api/document-routes.ts).
 */
import { z } from 'zod';
import type { ArchiveDb } from './database';
import type { FieldEncryption } from './field-encryption';
import { linksOf } from './received-document-links';
import { sealedAt, type DocumentRefusal, type ReceivedDocumentState } from './received-document-repository';

/** One received document as a list shows it: ids, ODS codes, time and state; no patient data. */
export interface ReceivedDocumentSummary {
  meshMessageId: string;
  /** The receiving mailbox (absent for rows kept before migration 0007). */
  mailbox: string | null;
  /** The original's MessageHeader id: with the mailbox, it names the message's workflow. */
  messageHeaderId: string;
  /** The SenderReference: the sender's encounter GUID. */
  encounterGuid: string;
  senderOds: string;
  practiceOds: string;
  receivedAt: Date;
  state: ReceivedDocumentState;
  /** A later version of the same report has arrived (migration 0008's link): file this one as an earlier version. */
  superseded: boolean;
}

/** One document's metadata; holds the NHS number and a refusal's reason (patient data: never logged). */
export interface ReceivedDocumentMetadata extends ReceivedDocumentSummary {
  nhsNumber: string;
  /** Composition.identifier (v1.3+) or the DocumentReference's identity (v1.2.x). */
  documentId: string;
  payloadVersion: string;
  version?: number;
  replacesDocumentId?: string;
  /** This practice's documents (MESH message ids) holding the version this one replaces, and the one superseding it. */
  replacesMessages: string[];
  supersededByMessages: string[];
  attachments: { contentType: string; bytes: number }[];
  refusal?: DocumentRefusal;
}

/** Where the next page starts: after this document in (received time, MESH message id) order. */
export interface DocumentCursor {
  receivedAt: Date;
  meshMessageId: string;
}

export interface DocumentListQuery {
  /** The practices whose documents are listed: their ODS codes, or `*` for every practice. */
  practices: '*' | readonly string[];
  state?: ReceivedDocumentState;
  limit: number;
  after?: DocumentCursor;
}

/** What is read of the sealed document (activities/receiving keeps the reader's ReceivedDocument there). */
const sealedDocumentSchema = z.object({
  payloadVersion: z.string(),
  documentId: z.string(),
  version: z.number().int().optional(),
  replacesDocumentId: z.string().optional(),
  attachments: z.array(z.object({ contentType: z.string(), base64: z.string() })),
});
type SealedDocument = z.output<typeof sealedDocumentSchema>;

const SUMMARY_COLUMNS = [
  'mesh_message_id',
  'mailbox',
  'local_id',
  'encounter_guid',
  'sender_ods',
  'recipient_ods',
  'received_at',
  'state',
  'superseded_by_document_id',
] as const;

interface SummaryRow {
  mesh_message_id: string;
  mailbox: string | null;
  local_id: string | null;
  encounter_guid: string | null;
  sender_ods: string;
  recipient_ods: string;
  received_at: Date;
  state: string;
  superseded_by_document_id: string | null;
}

function summaryOf(row: SummaryRow): ReceivedDocumentSummary {
  return {
    meshMessageId: row.mesh_message_id,
    mailbox: row.mailbox,
    messageHeaderId: row.local_id ?? '',
    encounterGuid: row.encounter_guid ?? '',
    senderOds: row.sender_ods,
    practiceOds: row.recipient_ods,
    receivedAt: new Date(row.received_at),
    state: row.state as ReceivedDocumentState,
    superseded: row.superseded_by_document_id !== null,
  };
}

export class ReceivedDocumentQueries {
  constructor(
    private readonly db: ArchiveDb,
    private readonly encryption: FieldEncryption,
  ) {}

  /** Oldest first (the order a practice works through its inbox); at most `limit`. */
  async list({ practices, state, limit, after }: DocumentListQuery): Promise<ReceivedDocumentSummary[]> {
    if (practices !== '*' && practices.length === 0) return [];
    let query = this.db.selectFrom('received_messages').select(SUMMARY_COLUMNS);
    if (practices !== '*') query = query.where('recipient_ods', 'in', [...practices]);
    if (state) query = query.where('state', '=', state);
    if (after)
      query = query.where((eb) =>
        eb(
          eb.refTuple('received_at', 'mesh_message_id'),
          '>',
          eb.tuple(after.receivedAt, after.meshMessageId),
        ),
      );
    const rows = await query.orderBy('received_at').orderBy('mesh_message_id').limit(limit).execute();
    return rows.map(summaryOf);
  }

  async summary(meshMessageId: string): Promise<ReceivedDocumentSummary | undefined> {
    const row = await this.db
      .selectFrom('received_messages')
      .select(SUMMARY_COLUMNS)
      .where('mesh_message_id', '=', meshMessageId)
      .executeTakeFirst();
    return row && summaryOf(row);
  }

  async metadata(meshMessageId: string): Promise<ReceivedDocumentMetadata | undefined> {
    const row = await this.sealedRow(meshMessageId);
    if (!row) return undefined;
    const document = this.openDocument(row);
    const links = await linksOf(this.db, meshMessageId);
    const open = (column: string, sealed: Buffer) =>
      this.encryption.open(row.key_id, sealed, sealedAt(column, meshMessageId)).toString('utf8');
    return {
      ...summaryOf(row),
      nhsNumber: row.sealed_patient ? open('sealed_patient', row.sealed_patient) : '',
      documentId: document.documentId,
      payloadVersion: document.payloadVersion,
      ...(document.version !== undefined && { version: document.version }),
      ...(document.replacesDocumentId !== undefined && { replacesDocumentId: document.replacesDocumentId }),
      replacesMessages: links?.replacesMeshMessageIds ?? [],
      supersededByMessages: links?.supersededByMeshMessageIds ?? [],
      attachments: document.attachments.map((a) => ({
        contentType: a.contentType,
        bytes: Buffer.byteLength(a.base64, 'base64'),
      })),
      ...(row.refusal_code &&
        row.sealed_refusal && {
          refusal: { code: row.refusal_code, reason: open('sealed_refusal', row.sealed_refusal) },
        }),
    };
  }

  /** The report PDF: the first attachment when it is a PDF (validation refuses a document whose first is not). */
  async pdf(meshMessageId: string): Promise<Buffer | undefined> {
    const row = await this.sealedRow(meshMessageId);
    const first = row && this.openDocument(row).attachments[0];
    return first?.contentType === 'application/pdf' ? Buffer.from(first.base64, 'base64') : undefined;
  }

  private sealedRow(meshMessageId: string) {
    return this.db
      .selectFrom('received_messages')
      .select([
        ...SUMMARY_COLUMNS,
        'key_id',
        'sealed_body',
        'sealed_patient',
        'refusal_code',
        'sealed_refusal',
      ])
      .where('mesh_message_id', '=', meshMessageId)
      .executeTakeFirst();
  }

  private openDocument(row: {
    mesh_message_id: string;
    key_id: string;
    sealed_body: Buffer;
  }): SealedDocument {
    const body = this.encryption.open(
      row.key_id,
      row.sealed_body,
      sealedAt('sealed_body', row.mesh_message_id),
    );
    return sealedDocumentSchema.parse(JSON.parse(body.toString('utf8')));
  }
}
