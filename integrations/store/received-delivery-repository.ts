/**
 * The receiver's handover in the archive database (migration 0006). `received_deliveries`: one row per downloaded
 * Send Document MESH message, its body sealed (it carries the patient and the PDF) until the message is decided, then
 * dropped; the decision (PHI-free, opaque here) stays with the run that made it. `received_message_claims`: the first
 * MESH message to claim a received message (mailbox + MessageHeader id) is the message; any other copy is a duplicate.
 */
import type { Kysely } from 'kysely';
import type { ArchiveDatabase } from './archive-schema';
import type { FieldEncryption } from './field-encryption';

interface ReceivedDeliveriesTable {
  mesh_message_id: string;
  mailbox: string;
  /** The received message's PHI-free id (its workflow id): mailbox + MessageHeader id, or the MESH id if unreadable. */
  received_message_id: string;
  received_at: Date;
  body_bytes: number;
  key_id: string;
  sealed_body: Buffer | null;
  decided_by_run: string | null;
  decision: string | null;
}

interface ReceivedMessageClaimsTable {
  received_message_id: string;
  mesh_message_id: string;
  claimed_at: Date;
}

type DeliveriesDb = Kysely<
  ArchiveDatabase & {
    received_deliveries: ReceivedDeliveriesTable;
    received_message_claims: ReceivedMessageClaimsTable;
  }
>;

export interface ReceivedDelivery {
  meshMessageId: string;
  mailbox: string;
  receivedMessageId: string;
  receivedAt: Date;
}

export interface DeliveryDecision {
  /** The workflow run that decided the message. */
  runId: string;
  /** What it decided, as the caller wrote it (PHI-free). */
  decision: string;
}

const where = (meshMessageId: string): string => `received_deliveries.sealed_body:${meshMessageId}`;

export class ReceivedDeliveryRepository {
  private readonly db: DeliveriesDb;

  constructor(
    db: Kysely<ArchiveDatabase>,
    private readonly encryption: FieldEncryption,
  ) {
    this.db = db as unknown as DeliveriesDb;
  }

  /** Idempotent: a message kept again (downloaded twice) keeps its first row. */
  async keep(delivery: ReceivedDelivery, body: Buffer): Promise<void> {
    const keyId = this.encryption.activeKeyId;
    await this.db
      .insertInto('received_deliveries')
      .values({
        mesh_message_id: delivery.meshMessageId,
        mailbox: delivery.mailbox,
        received_message_id: delivery.receivedMessageId,
        received_at: delivery.receivedAt,
        body_bytes: body.length,
        key_id: keyId,
        sealed_body: this.encryption.seal(keyId, body, where(delivery.meshMessageId)),
      })
      .onConflict((conflict) => conflict.column('mesh_message_id').doNothing())
      .execute();
  }

  async find(meshMessageId: string): Promise<ReceivedDelivery | undefined> {
    const row = await this.db
      .selectFrom('received_deliveries')
      .select(['mesh_message_id', 'mailbox', 'received_message_id', 'received_at'])
      .where('mesh_message_id', '=', meshMessageId)
      .executeTakeFirst();
    return (
      row && {
        meshMessageId: row.mesh_message_id,
        mailbox: row.mailbox,
        receivedMessageId: row.received_message_id,
        receivedAt: row.received_at,
      }
    );
  }

  /** The body as downloaded; undefined once the message is decided (or never kept). */
  async body(meshMessageId: string): Promise<Buffer | undefined> {
    const row = await this.db
      .selectFrom('received_deliveries')
      .select(['key_id', 'sealed_body'])
      .where('mesh_message_id', '=', meshMessageId)
      .executeTakeFirst();
    if (!row?.sealed_body) return undefined;
    return this.encryption.open(row.key_id, row.sealed_body, where(meshMessageId));
  }

  /** The MESH message that holds the claim on a received message: this one if it is the first to ask. */
  async claim(receivedMessageId: string, meshMessageId: string, at: Date): Promise<string> {
    await this.db
      .insertInto('received_message_claims')
      .values({ received_message_id: receivedMessageId, mesh_message_id: meshMessageId, claimed_at: at })
      .onConflict((conflict) => conflict.column('received_message_id').doNothing())
      .execute();
    const row = await this.db
      .selectFrom('received_message_claims')
      .select('mesh_message_id')
      .where('received_message_id', '=', receivedMessageId)
      .executeTakeFirstOrThrow();
    return row.mesh_message_id;
  }

  /** Records the decision and drops the body; the first decision stays (a retry of the same run records nothing). */
  async decide(meshMessageId: string, decided: DeliveryDecision): Promise<void> {
    await this.db
      .updateTable('received_deliveries')
      .set({ decided_by_run: decided.runId, decision: decided.decision, sealed_body: null })
      .where('mesh_message_id', '=', meshMessageId)
      .where('decided_by_run', 'is', null)
      .execute();
  }

  async decisionOf(meshMessageId: string): Promise<DeliveryDecision | undefined> {
    const row = await this.db
      .selectFrom('received_deliveries')
      .select(['decided_by_run', 'decision'])
      .where('mesh_message_id', '=', meshMessageId)
      .executeTakeFirst();
    if (!row?.decided_by_run || row.decision === null) return undefined;
    return { runId: row.decided_by_run, decision: row.decision };
  }
}
