/**
 * The document inbox of fedreport's receiver in the archive database's `received_messages` table (migration 0001):
 * one row per received MESH message, the document (PDF included) sealed in `sealed_body` and the NHS number in
 * `sealed_patient`, as archive-repository.ts seals what it keeps; plain columns hold only ids, ODS codes, the state
 * and the NHS-number search hash. States: `held` (accepted, not filed yet), `filed`, `refused`. Versions and
 * replacements (migration 0008) are linked by received-document-links.ts.
 */
import crypto from 'node:crypto';
import { plainDocumentId } from '../../domain/received-document-identity';
import type { ArchiveDb } from './database';
import type { FieldEncryption } from './field-encryption';
import { linkReplacements, linksOf, type ReceivedDocumentLinks } from './received-document-links';

/** What is kept of one accepted document; `document` holds patient data (NHS number, the PDF). */
export interface ReceivedDocumentRecord {
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

export type ReceivedDocumentState = 'held' | 'filed' | 'refused';

/** The `integer` column's largest value: a sender's larger version is not kept, rather than failing every hold. */
const LARGEST_VERSION = 2 ** 31 - 1;

const storableVersion = (version: number | undefined): number | null =>
  version !== undefined && Number.isSafeInteger(version) && version >= 1 && version <= LARGEST_VERSION
    ? version
    : null;

const where = (column: string, meshMessageId: string): string =>
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
        local_id: record.messageHeaderId,
        encounter_guid: record.senderReference,
        sender_ods: record.senderOds,
        recipient_ods: record.practiceOds,
        sha256: crypto.createHash('sha256').update(body).digest('hex'),
        state: 'held' satisfies ReceivedDocumentState,
        received_at: new Date(record.receivedAt),
        key_id: keyId,
        nhs_number_hash: this.encryption.nhsNumberHash(record.nhsNumber),
        sealed_body: this.encryption.seal(keyId, body, where('sealed_body', record.meshMessageId)),
        sealed_patient: this.encryption.seal(
          keyId,
          Buffer.from(record.nhsNumber, 'utf8'),
          where('sealed_patient', record.meshMessageId),
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
      .open(row.key_id, row.sealed_patient, where('sealed_patient', meshMessageId))
      .toString('utf8');
  }

  async setState(meshMessageId: string, state: ReceivedDocumentState): Promise<void> {
    await this.db
      .updateTable('received_messages')
      .set({ state })
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
