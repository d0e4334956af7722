/**
 * The archive of sent messages and their answers (issue 17): a copy is written before the MESH send and completed
 * after it, idempotently by the ITK3 message id (local id), so no report leaves without a copy and a retry never
 * makes two. Patient data is sealed (field-encryption.ts); search uses plain columns and the NHS-number hash only.
 */
import crypto from 'node:crypto';
import { sql, type Selectable } from 'kysely';
import { ValidationError, parseOrThrow } from '../../domain/validation-error';
import type { SentMessageState, SentMessagesTable } from './archive-schema';
import {
  answerSchema,
  archivedPatientSchema,
  archiveQuerySchema,
  attachmentSchema,
  sendingCopySchema,
  sentOutcomeSchema,
  type Answer,
  type ArchiveQuery,
  type SendingCopy,
  type SentMessageRecord,
  type SentMessageSummary,
  type SentOutcome,
} from './archive-records';
import { purgeArchivedBefore, type PurgeCounts } from './archive-retention';
import type { ArchiveDb } from './database';
import type { FieldEncryption } from './field-encryption';

const sha256Hex = (bytes: Uint8Array): string => crypto.createHash('sha256').update(bytes).digest('hex');
const where = (column: string, rowKey: string): string => `${column}:${rowKey}`;

export class ArchiveRepository {
  constructor(
    private readonly db: ArchiveDb,
    private readonly encryption: FieldEncryption,
  ) {}

  /** Before the send. A retry with the same local id and bytes keeps the one row; other bytes are refused. */
  async recordSending(input: SendingCopy): Promise<{ created: boolean }> {
    const copy = parseOrThrow(sendingCopySchema, input, 'sent message copy');
    const keyId = this.encryption.activeKeyId;
    const sha256 = sha256Hex(copy.body);
    const inserted = await this.db
      .insertInto('sent_messages')
      .values({
        local_id: copy.localId,
        encounter_guid: copy.encounterGuid,
        report_version: copy.reportVersion,
        sender_ods: copy.senderOds,
        recipient_ods: copy.recipientOds,
        sha256,
        state: 'sending',
        created_at: copy.at,
        updated_at: copy.at,
        key_id: keyId,
        nhs_number_hash: this.encryption.nhsNumberHash(copy.patient.nhsNumber),
        sealed_body: this.encryption.seal(keyId, copy.body, where('sent_messages.sealed_body', copy.localId)),
        sealed_patient: this.sealPatient(keyId, copy.patient, copy.localId),
      })
      .onConflict((conflict) => conflict.column('local_id').doNothing())
      .returning('local_id')
      .executeTakeFirst();
    if (inserted) return { created: true };
    const existing = await this.summaryRow(copy.localId);
    if (existing?.sha256 !== sha256) {
      throw new ValidationError('sent message copy', [
        {
          field: 'body',
          reason: 'differs from the copy archived under this localId (a retry must send the same bytes)',
        },
      ]);
    }
    return { created: false };
  }

  /** After MESH accepted the message. Recording the same outcome again changes nothing. */
  async recordSent(input: SentOutcome): Promise<void> {
    const outcome = parseOrThrow(sentOutcomeSchema, input, 'sent message outcome');
    // An answer may have come before the completion (the attempt died after the send): its state is kept.
    const updated = await this.db
      .updateTable('sent_messages')
      .set({
        state: sql<SentMessageState>`case when state = 'sending' then 'sent' else state end`,
        mesh_message_id: outcome.meshMessageId,
        sent_at: outcome.at,
        updated_at: outcome.at,
      })
      .where('local_id', '=', outcome.localId)
      .where('mesh_message_id', 'is', null)
      .executeTakeFirst();
    if (updated.numUpdatedRows > 0n) return;
    const existing = await this.summaryRow(outcome.localId);
    if (!existing) {
      throw new ValidationError('sent message outcome', [
        { field: 'localId', reason: 'has no archived copy: record it before sending' },
      ]);
    }
    if (existing.mesh_message_id !== outcome.meshMessageId) {
      throw new ValidationError('sent message outcome', [
        {
          field: 'meshMessageId',
          reason: 'differs from the MESH message id already recorded for this localId',
        },
      ]);
    }
  }

  /**
   * An answer to a sent message, once per answer's MESH message id; may move the message's state. One statement (the
   * inbox records answers one after another, so round trips are its pace); its CTEs run in one snapshot, the message's
   * row locked first, so concurrent answers to one message take turns.
   */
  async recordAnswer(input: Answer): Promise<{ created: boolean }> {
    const answer = parseOrThrow(answerSchema, input, 'message answer');
    const keyId = this.encryption.activeKeyId;
    const sealed = this.encryption.seal(keyId, answer.body, where('message_answers.sealed_body', answer.meshMessageId));
    // A positive answer arriving after a negative one (acks may come out of order) does not undo it.
    const kept = sql`${sql.ref('state')} not in ('rejected', 'undeliverable')`;
    const stateGuard = answer.messageState === 'acknowledged' ? kept : sql`true`;
    const { rows } = await sql<{ found: number; inserted: number }>`
      with message as (
        select local_id from sent_messages where local_id = ${answer.localId} for update
      ), inserted as (
        insert into message_answers (local_id, kind, mesh_message_id, code, received_at, sha256, key_id, sealed_body)
        select local_id, ${answer.kind}, ${answer.meshMessageId}, ${answer.code}, ${answer.at}, ${sha256Hex(answer.body)},
          ${keyId}, ${sealed}
        from message
        on conflict (mesh_message_id) do nothing
        returning id
      ), moved as (
        update sent_messages set state = ${answer.messageState ?? null}, updated_at = ${answer.at}
        where local_id = ${answer.localId} and ${answer.messageState !== undefined}
          and exists (select 1 from inserted) and ${stateGuard}
        returning local_id
      )
      select (select count(*) from message)::int as found, (select count(*) from inserted)::int as inserted
    `.execute(this.db);
    if (!rows[0]?.found)
      throw new ValidationError('message answer', [{ field: 'localId', reason: 'names no archived sent message' }]);
    return { created: rows[0].inserted > 0 };
  }

  /** Newest first; every criterion given must match. Lists plain columns only. */
  async search(input: ArchiveQuery): Promise<SentMessageSummary[]> {
    const query = parseOrThrow(archiveQuerySchema, input, 'archive search');
    // Plain columns only: a search never reads (or de-TOASTs) the sealed message bodies.
    let select = this.db.selectFrom('sent_messages').select(SUMMARY_COLUMNS);
    if (query.encounterGuid) select = select.where('encounter_guid', '=', query.encounterGuid);
    if (query.nhsNumber)
      select = select.where('nhs_number_hash', '=', this.encryption.nhsNumberHash(query.nhsNumber));
    if (query.practiceOds) {
      const ods = query.practiceOds;
      select = select.where((eb) => eb.or([eb('sender_ods', '=', ods), eb('recipient_ods', '=', ods)]));
    }
    if (query.from) select = select.where('created_at', '>=', query.from);
    if (query.to) select = select.where('created_at', '<=', query.to);
    if (query.state) select = select.where('state', '=', query.state);
    const rows = await select.orderBy('created_at', 'desc').orderBy('local_id').limit(query.limit).execute();
    return rows.map(toSummary);
  }

  /** Whether a copy is kept under this local id: plain columns only, nothing unsealed. */
  async holds(localId: string): Promise<boolean> {
    return (await this.summaryRow(localId)) !== undefined;
  }

  /** One sent message opened, with its answers oldest first; undefined when none has this local id. */
  async show(localId: string): Promise<SentMessageRecord | undefined> {
    const row = await this.summaryRow(localId);
    if (!row) return undefined;
    const answers = await this.db
      .selectFrom('message_answers')
      .selectAll()
      .where('local_id', '=', localId)
      .orderBy('received_at')
      .orderBy('id')
      .execute();
    const patientJson = this.encryption.open(
      row.key_id,
      row.sealed_patient,
      where('sent_messages.sealed_patient', localId),
    );
    return {
      ...toSummary(row),
      body: this.encryption.open(row.key_id, row.sealed_body, where('sent_messages.sealed_body', localId)),
      patient: archivedPatientSchema.parse(JSON.parse(patientJson.toString('utf8'))),
      answers: answers.map((answer) => ({
        kind: answer.kind,
        meshMessageId: answer.mesh_message_id,
        code: answer.code,
        receivedAt: answer.received_at,
        body: this.encryption.open(
          answer.key_id,
          answer.sealed_body,
          where('message_answers.sealed_body', answer.mesh_message_id),
        ),
      })),
    };
  }

  /** Stores content once under its SHA-256 (hex), which it returns; the same content again is the same attachment. */
  async storeAttachment(content: Uint8Array, mediaType: string): Promise<string> {
    const attachment = parseOrThrow(attachmentSchema, { content, mediaType }, 'attachment');
    const sha256 = sha256Hex(attachment.content);
    const keyId = this.encryption.activeKeyId;
    await this.db
      .insertInto('attachments')
      .values({
        sha256,
        media_type: attachment.mediaType,
        size_bytes: attachment.content.byteLength,
        created_at: new Date(),
        key_id: keyId,
        sealed_content: this.encryption.seal(
          keyId,
          attachment.content,
          where('attachments.sealed_content', sha256),
        ),
      })
      // Stored again: the row's date moves on, so the retention purge (by date) never takes content a save still names.
      .onConflict((conflict) => conflict.column('sha256').doUpdateSet({ created_at: new Date() }))
      .execute();
    return sha256;
  }

  async readAttachment(sha256: string): Promise<{ mediaType: string; content: Buffer } | undefined> {
    const row = await this.db
      .selectFrom('attachments')
      .selectAll()
      .where('sha256', '=', sha256)
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      mediaType: row.media_type,
      content: this.encryption.open(
        row.key_id,
        row.sealed_content,
        where('attachments.sealed_content', sha256),
      ),
    };
  }

  /** The retention purge (archive-retention.ts): everything archived before `cutoff` goes. */
  purgeArchivedBefore(cutoff: Date): Promise<PurgeCounts> {
    return purgeArchivedBefore(this.db, cutoff);
  }

  private sealPatient(keyId: string, patient: SendingCopy['patient'], localId: string): Buffer {
    return this.encryption.seal(
      keyId,
      Buffer.from(JSON.stringify(patient), 'utf8'),
      where('sent_messages.sealed_patient', localId),
    );
  }

  private summaryRow(localId: string): Promise<Selectable<SentMessagesTable> | undefined> {
    return this.db.selectFrom('sent_messages').selectAll().where('local_id', '=', localId).executeTakeFirst();
  }
}

/** The columns a summary lists; search reads only these. */
export const SUMMARY_COLUMNS = [
  'local_id',
  'mesh_message_id',
  'encounter_guid',
  'report_version',
  'sender_ods',
  'recipient_ods',
  'sha256',
  'state',
  'created_at',
  'sent_at',
] as const satisfies readonly (keyof SentMessagesTable)[];

function toSummary(row: Pick<Selectable<SentMessagesTable>, (typeof SUMMARY_COLUMNS)[number]>): SentMessageSummary {
  return {
    localId: row.local_id,
    meshMessageId: row.mesh_message_id,
    encounterGuid: row.encounter_guid,
    reportVersion: row.report_version,
    senderOds: row.sender_ods,
    recipientOds: row.recipient_ods,
    sha256: row.sha256,
    state: row.state,
    createdAt: row.created_at,
    sentAt: row.sent_at,
  };
}
