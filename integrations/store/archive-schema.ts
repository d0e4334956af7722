/**
 * The archive's tables as Kysely sees them (migrations/ creates them). Columns named `sealed_*` hold AES-256-GCM
 * output under the row's `key_id` (field-encryption.ts); every other column is plain and holds no patient data.
 */
import type { ColumnType, Generated } from 'kysely';

/** A timestamp column: written as a Date, read as a Date. */
type Timestamp = ColumnType<Date, Date, Date>;

export const SENT_MESSAGE_STATES = ['sending', 'sent', 'acknowledged', 'rejected', 'undeliverable'] as const;
export type SentMessageState = (typeof SENT_MESSAGE_STATES)[number];

export const ANSWER_KINDS = ['itk3-acknowledgement', 'mesh-report', 'quarantined'] as const;
export type AnswerKind = (typeof ANSWER_KINDS)[number];

export interface SentMessagesTable {
  /** The ITK3 message id (MessageHeader id, MESH local id), fixed before the first send: the idempotency key. */
  local_id: string;
  mesh_message_id: string | null;
  encounter_guid: string;
  report_version: number;
  sender_ods: string;
  recipient_ods: string;
  /** Hex SHA-256 of the bytes as sent. */
  sha256: string;
  state: SentMessageState;
  created_at: Timestamp;
  sent_at: Timestamp | null;
  updated_at: Timestamp;
  key_id: string;
  /** HMAC-SHA-256 of the NHS number under the search key (hex): equality search without the number. */
  nhs_number_hash: string;
  sealed_body: Buffer;
  sealed_patient: Buffer;
}

export interface MessageAnswersTable {
  id: Generated<string>;
  local_id: string;
  kind: AnswerKind;
  /** The answer's own MESH message id: recording an answer twice keeps one row. */
  mesh_message_id: string;
  /** A plain code (ITK3 ack code, MESH REPORT class, quarantine reason code): no free text. */
  code: string;
  received_at: Timestamp;
  sha256: string;
  key_id: string;
  sealed_body: Buffer;
}

export interface ReceivedMessagesTable {
  mesh_message_id: string;
  local_id: string | null;
  encounter_guid: string | null;
  sender_ods: string;
  recipient_ods: string;
  sha256: string;
  state: string;
  received_at: Timestamp;
  key_id: string;
  nhs_number_hash: string | null;
  sealed_body: Buffer;
  sealed_patient: Buffer | null;
  /** Migration 0008: plain document ids (domain/received-document-identity.ts), null in rows held before it. */
  document_id: string | null;
  document_version: number | null;
  replaces_document_id: string | null;
  /** Set when a later document of the same sender, practice and patient names this one as replaced. */
  superseded_by_document_id: string | null;
  /** Migration 0007: the receiving mailbox, and a refusal's code and sealed reason. */
  mailbox: string | null;
  refusal_code: string | null;
  sealed_refusal: Buffer | null;
}

export interface AttachmentsTable {
  /** Hex SHA-256 of the plaintext content: its address. */
  sha256: string;
  media_type: string;
  size_bytes: number;
  created_at: Timestamp;
  key_id: string;
  sealed_content: Buffer;
}

export interface ArchiveDatabase {
  sent_messages: SentMessagesTable;
  message_answers: MessageAnswersTable;
  received_messages: ReceivedMessagesTable;
  attachments: AttachmentsTable;
}
