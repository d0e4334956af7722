/**
 * The document inbox of fedreport's receiver in the archive database's `received_messages` table (migrations 0001,
 * 0007, 0008): one row per received MESH message, the document (PDF included) sealed in `sealed_body`, the NHS number
 * in `sealed_patient` and a refusal's typed reason in `sealed_refusal`, as archive-repository.ts seals what it keeps;
 * plain columns hold only ids, the receiving mailbox, ODS codes, the state, a refusal's code and the NHS-number search
 * hash. States: `held` (accepted, not filed yet), `filed`, `refused`. Versions and replacements (migration 0008) are
 * linked by received-document-links.ts; the clinical system's reads: received-document-queries.ts.
 */
import crypto from 'node:crypto';
import { plainDocumentId } from '../../domain/received-document-identity';
import type { ArchiveDb } from './database';
import type { FieldEncryption } from './field-encryption';
import { linkReplacements, linksOf, type ReceivedDocumentLinks } from './received-document-links';

/** What is kept of one accepted document; `document` holds patient data (NHS number, the PDF). */
export interface ReceivedDocumentRecord {
  /** The receiving mailbox: with the MessageHeader id it names the message's workflow. */
  mailbox: string;
  meshMessageId: string;
  messageHeaderId: string;
  /** The SenderReference: the sender's encounter GUID. */
  senderReference: string;
  senderOds: string;
  practiceOds: string;
  receivedAt: string;
  nhsNumber: string;
  /** The document's identifier (Composition.identifier, v1.2.x DocumentReference). */
  documentId: string;
  /** The identifier of the document this one replaces (Composition.relatesTo `replaces`). */
  replacesDocumentId?: string;
  /** The report version (Composition.meta.versionId), when the sender says. */
  version?: number;
  document: unknown;
}

export const RECEIVED_DOCUMENT_STATES = ['held', 'filed', 'refused'] as const;
export type ReceivedDocumentState = (typeof RECEIVED_DOCUMENT_STATES)[number];

/** The `integer` column's largest value: a sender's larger version is not kept, rather than failing every hold. */
const LARGEST_VERSION = 2 ** 31 - 1;

const storableVersion = (version: number | undefined): number | null =>
  version !== undefined && Number.isSafeInteger(version) && version >= 1 && version <= LARGEST_VERSION
    ? version
    : null;

/** The practice's refusal: the negative business code answered, and its reason (may name the patient: sealed). */
export interface DocumentRefusal {
  code: string;
  reason: string;
}

export const sealedAt = (column: string, meshMessageId: string): string =>
  `received_messages.${column}:${meshMessageId}`;

export class ReceivedDocumentRepository {
  constructor(
    private readonly db: ArchiveDb,
    private readonly encryption: FieldEncryption,
  ) {}

  /**
   * Idempotent: a second hold of the same MESH message keeps the first row. Then links the row to the versions it
   * replaces or that supersede it, on every hold (a retry after a failed link completes it).
   */
  async hold(record: ReceivedDocumentRecord): Promise<void> {
    const keyId = this.encryption.activeKeyId;
    const body = Buffer.from(JSON.stringify(record.document), 'utf8');
    await this.db
      .insertInto('received_messages')
      .values({
        mesh_message_id: record.meshMessageId,
        mailbox: record.mailbox,
        local_id: record.messageHeaderId,
        encounter_guid: record.senderReference,
        sender_ods: record.senderOds,
        recipient_ods: record.practiceOds,
        sha256: crypto.createHash('sha256').update(body).digest('hex'),
        state: 'held' satisfies ReceivedDocumentState,
        received_at: new Date(record.receivedAt),
        key_id: keyId,
        nhs_number_hash: this.encryption.nhsNumberHash(record.nhsNumber),
        sealed_body: this.encryption.seal(keyId, body, sealedAt('sealed_body', record.meshMessageId)),
        sealed_patient: this.encryption.seal(
          keyId,
          Buffer.from(record.nhsNumber, 'utf8'),
          sealedAt('sealed_patient', record.meshMessageId),
        ),
        document_id: plainDocumentId(record.documentId),
        document_version: storableVersion(record.version),
        replaces_document_id: record.replacesDocumentId ? plainDocumentId(record.replacesDocumentId) : null,
      })
      .onConflict((conflict) => conflict.column('mesh_message_id').doNothing())
      .execute();
    await linkReplacements(this.db, record.meshMessageId);
  }

  /** Undefined when no such message is held. */
  linksOf(meshMessageId: string): Promise<ReceivedDocumentLinks | undefined> {
    return linksOf(this.db, meshMessageId);
  }

  async nhsNumberOf(meshMessageId: string): Promise<string> {
    const row = await this.db
      .selectFrom('received_messages')
      .select(['key_id', 'sealed_patient'])
      .where('mesh_message_id', '=', meshMessageId)
      .executeTakeFirstOrThrow();
    if (!row.sealed_patient) throw new Error(`received message ${meshMessageId} holds no patient`);
    return this.encryption
      .open(row.key_id, row.sealed_patient, sealedAt('sealed_patient', meshMessageId))
      .toString('utf8');
  }

  async setState(meshMessageId: string, state: ReceivedDocumentState): Promise<void> {
    await this.db
      .updateTable('received_messages')
      .set({ state })
      .where('mesh_message_id', '=', meshMessageId)
      .execute();
  }

  /** Marks the document refused, keeping the code and the reason sealed under the row's key (as its document is). */
  async refuse(meshMessageId: string, refusal: DocumentRefusal): Promise<void> {
    const { key_id: keyId } = await this.db
      .selectFrom('received_messages')
      .select('key_id')
      .where('mesh_message_id', '=', meshMessageId)
      .executeTakeFirstOrThrow();
    await this.db
      .updateTable('received_messages')
      .set({
        state: 'refused' satisfies ReceivedDocumentState,
        refusal_code: refusal.code,
        sealed_refusal: this.encryption.seal(
          keyId,
          Buffer.from(refusal.reason, 'utf8'),
          sealedAt('sealed_refusal', meshMessageId),
        ),
      })
      .where('mesh_message_id', '=', meshMessageId)
      .execute();
  }

  async stateOf(meshMessageId: string): Promise<ReceivedDocumentState | undefined> {
    const row = await this.db
      .selectFrom('received_messages')
      .select('state')
      .where('mesh_message_id', '=', meshMessageId)
      .executeTakeFirst();
    return row?.state as ReceivedDocumentState | undefined;
  }
}
