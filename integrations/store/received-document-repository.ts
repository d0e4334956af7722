/**
 * The document inbox of fedreport's receiver in the archive database's `received_messages` table (migrations 0001,
 * 0007): one row per received MESH message, the document (PDF included) sealed in `sealed_body`, the NHS number in
 * `sealed_patient` and a refusal's typed reason in `sealed_refusal`, as archive-repository.ts seals what it keeps;
 * plain columns hold only ids, the receiving mailbox, ODS codes, the state, a refusal's code and the NHS-number search
 * hash. States: `held` (accepted, not filed yet), `filed`, `refused`. The clinical system's reads:
 * received-document-queries.ts.
 */
import crypto from 'node:crypto';
import type { ArchiveDb } from './database';
import type { FieldEncryption } from './field-encryption';

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
  document: unknown;
}

export const RECEIVED_DOCUMENT_STATES = ['held', 'filed', 'refused'] as const;
export type ReceivedDocumentState = (typeof RECEIVED_DOCUMENT_STATES)[number];

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

  /** Idempotent: a second hold of the same MESH message keeps the first row. */
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
      })
      .onConflict((conflict) => conflict.column('mesh_message_id').doNothing())
      .execute();
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
