/**
 * One listed message through the inbox: its headers first (HEAD, nothing read), then only what is ours, read within
 * its kind's limits, its answer handed to the encounter, and the message acknowledged in MESH only after Temporal
 * took the signal, or once the quarantine holds everything MESH held (a message too large to be what it claims is
 * acknowledged from its headers alone). Documents for the receiving side are streamed to a spool file, kept in the
 * archive database and handed to their received-message workflow before MESH hears they were taken.
 */
import fs from 'node:fs/promises';
import type { Logger } from 'pino';
import { foreignText } from '../../domain/foreign-text';
import { Itk3ParseError } from '../../integrations/itk3';
import type { MeshClient } from '../../integrations/mesh/client';
import type { MeshMessageHeaders } from '../../integrations/mesh/download';
import { MeshMessageTooLargeError } from '../../integrations/mesh/errors';
import type { MeshIncomingMessage } from '../../integrations/mesh/messages';
import type {
  QuarantineBody,
  QuarantineReason,
  QuarantineRecord,
  QuarantineStore,
} from '../../integrations/mesh/quarantine-store';
import type { InboxAlert, MessageAttempts } from '../../workflows/mesh-inbox-activities';
import type { ReceivedDelivery } from '../../integrations/store/received-delivery-repository';
import type { AnswerArchive } from './answer-archive';
import type { DocumentHandover } from './document-handover';
import type { AnswerRouter } from './answer-routing';
import { readAcknowledgement, readReport, type Answer } from './inbox-answers';
import { kindOf, type InboxKind, type InboxPolicy } from './inbox-policy';

export interface InboxMessageDependencies {
  policy: InboxPolicy;
  router: AnswerRouter;
  /** Keeps each answer routed, and each quarantined one that names a message of ours. */
  archive: AnswerArchive;
  store: QuarantineStore;
  /** Where documents go when the inbox takes them (FEDREPORT_INBOX_RECEIVE_DOCUMENTS). */
  handover?: DocumentHandover;
  logger: Logger;
  /** Counts a quarantine in the metrics. */
  onQuarantined(reason: QuarantineReason): void;
}

/** The mailbox being polled, its MESH client, and the task queue a restarted encounter run goes to. */
export interface MailboxContext {
  mailbox: string;
  mesh: MeshClient;
  taskQueue: string;
  now(): number;
}

export type Handled =
  | { outcome: 'acknowledgement' | 'report'; code: string }
  | { outcome: 'document' }
  | { outcome: 'unmatched'; firstSeenAt: number }
  | { outcome: 'quarantined'; acknowledged: boolean; alert: InboxAlert }
  | { outcome: 'left' };

interface QuarantineOptions {
  acknowledge: boolean;
  /** Default: the downloaded message's body, when there is one. */
  body?: QuarantineBody;
  bodyBytes?: number;
  alert?: InboxAlert['kind'];
}

export class InboxMessage {
  /** Whether the message was downloaded (GET), for the poll summary. */
  downloaded = false;
  private headers?: MeshMessageHeaders;
  private kind?: InboxKind;
  private message?: MeshIncomingMessage;
  private alreadyAcknowledged = false;
  /** The sent message the answer names, once read: a quarantined answer is archived against it. */
  private answeredLocalId?: string;

  constructor(
    private readonly deps: InboxMessageDependencies,
    private readonly context: MailboxContext,
    readonly messageId: string,
    private readonly previous?: MessageAttempts,
  ) {}

  /** Takes the message if it is ours. `graceful`: an unmatched answer may wait in the inbox for its grace period. */
  async process(graceful = true): Promise<Handled> {
    this.headers = await this.context.mesh.peek(this.messageId);
    this.kind = kindOf(this.headers, this.deps.policy) ?? undefined;
    if (!this.kind) return { outcome: 'left' };
    const { maxChunks } = this.deps.policy.limits[this.kind];
    if (this.headers.chunks > maxChunks)
      return this.tooLarge(new MeshMessageTooLargeError('chunks', maxChunks, this.messageId));
    if (this.kind === 'document') return this.receiveDocument();
    return (await this.download(this.kind)) ?? this.answer(graceful);
  }

  /** Processes a quarantined copy again (no grace: an answer still unmatched stays quarantined). */
  replay(record: QuarantineRecord, body: Buffer): Promise<Handled> {
    this.headers = record.headers;
    this.kind = record.kind === 'unknown' ? undefined : record.kind;
    this.alreadyAcknowledged = record.acknowledgedInMesh;
    if (!record.headers || !this.kind || this.kind === 'document')
      return this.quarantine('failing', 'nothing to replay', { acknowledge: false });
    this.message = { ...record.headers, body };
    return this.answer(false);
  }

  /** After the last allowed attempt failed: quarantined, acknowledged only if everything MESH held was read. */
  giveUp(error: unknown, attempts: number): Promise<Handled> {
    const detail = `${attempts} attempts failed, the last with ${describeError(error)}`;
    return this.quarantine('failing', detail, { acknowledge: this.message !== undefined });
  }

  private async download(kind: Exclude<InboxKind, 'document'>): Promise<Handled | undefined> {
    const opened = await this.context.mesh.open(this.messageId);
    this.downloaded = true;
    try {
      // An answer is XML or JSON: gzip inside is undone too, within the same limit.
      const body = await opened.readToBuffer(this.deps.policy.limits[kind], { inflatePayload: true });
      this.message = { ...opened.description, body };
      return undefined;
    } catch (error) {
      if (!(error instanceof MeshMessageTooLargeError)) throw error;
      return this.tooLarge(error);
    }
  }

  /**
   * Kept from its headers alone. An answer or REPORT this size cannot be what it claims, so it is acknowledged; a
   * document may be a real one: it stays in MESH for an operator to decide.
   */
  private tooLarge(error: MeshMessageTooLargeError): Promise<Handled> {
    return this.quarantine('too-large', error.message, { acknowledge: this.kind !== 'document' });
  }

  private async answer(graceful: boolean): Promise<Handled> {
    let answer: Answer;
    try {
      const read = this.kind === 'report' ? readReport : readAcknowledgement;
      answer = read(this.message!, new Date(this.context.now()).toISOString());
    } catch (error) {
      if (!(error instanceof Itk3ParseError)) throw error;
      return this.quarantine('unreadable', error.message, { acknowledge: true });
    }
    this.answeredLocalId = answer.archived.localId;
    const workflowId = await answer.find(this.deps.router);
    if (!workflowId) return this.unmatched(graceful);
    const { mailbox, taskQueue } = this.context;
    // Archived before the encounter hears of it: a failure here leaves the message in MESH for the next poll.
    await this.deps.archive.record({ ...answer.archived, ...this.archiveEntry() });
    await answer.send(this.deps.router, { workflowId, mailbox, taskQueue });
    await this.acknowledge();
    return { outcome: answer.kind, code: answer.code };
  }

  private unmatched(graceful: boolean): Promise<Handled> | Handled {
    const firstSeenAt = this.previous?.firstSeenAt ?? this.context.now();
    const since = meshTime(this.message?.status.timestamp) ?? firstSeenAt;
    if (graceful && this.context.now() - since < this.deps.policy.unmatchedGraceMs) {
      return { outcome: 'unmatched', firstSeenAt };
    }
    return this.quarantine('unmatched', 'no report of ours carries its identifiers', { acknowledge: true });
  }

  /**
   * Handed over to the receiver (document-handover.ts): kept in the archive database, its workflow started, and only
   * then acknowledged in MESH. A copy kept at an earlier poll whose acknowledgement failed is not downloaded again.
   */
  private async receiveDocument(): Promise<Handled> {
    const { handover } = this.deps;
    if (!handover) throw new Error('documents are taken but no receiver is configured');
    const delivery = (await handover.keptEarlier(this.messageId)) ?? (await this.keepDocument(handover));
    if (!('meshMessageId' in delivery)) return delivery;
    await handover.start(delivery, this.headers!, this.context.taskQueue);
    await this.acknowledge();
    return { outcome: 'document' };
  }

  /** Streamed to a spool file within the limit (counted as it arrives), then kept; the spool file goes either way. */
  private async keepDocument(handover: DocumentHandover): Promise<ReceivedDelivery | Handled> {
    const spool = await this.deps.store.spoolFile(this.context.mailbox, this.messageId);
    try {
      const opened = await this.context.mesh.open(this.messageId);
      this.downloaded = true;
      await opened.readToFile(spool, this.deps.policy.limits.document);
      const at = new Date(this.context.now());
      return await handover.keep(opened.description, this.context.mailbox, await fs.readFile(spool), at);
    } catch (error) {
      if (!(error instanceof MeshMessageTooLargeError)) throw error;
      return this.tooLarge(error);
    } finally {
      await fs.rm(spool, { force: true });
    }
  }

  private async quarantine(
    reason: QuarantineReason,
    why: string,
    options: QuarantineOptions,
  ): Promise<Handled> {
    const { mailbox } = this.context;
    const detail = foreignText(`${reason}: ${why}`) ?? reason;
    const body = options.body ?? (this.message ? { bytes: this.message.body } : undefined);
    // Archived first: with the database down nothing is quarantined yet, and the message is tried again next poll.
    if (this.kind !== 'document') {
      const localId = this.answeredLocalId ?? this.headers?.localId;
      await this.deps.archive.record({ localId, kind: 'quarantined', code: reason, ...this.archiveEntry() });
    }
    await this.deps.store.put(this.record(reason, detail, options), body);
    if (options.acknowledge) await this.acknowledge();
    this.deps.onQuarantined(reason);
    this.deps.logger.warn(
      { mailbox, meshMessageId: this.messageId, kind: this.kind, reason, detail },
      'MESH message quarantined',
    );
    const alert: InboxAlert = {
      kind: options.alert ?? 'inbox-quarantined',
      mailbox,
      meshMessageId: this.messageId,
      detail,
    };
    return { outcome: 'quarantined', acknowledged: options.acknowledge, alert };
  }

  private record(reason: QuarantineReason, detail: string, options: QuarantineOptions): QuarantineRecord {
    return {
      version: 1,
      mailbox: this.context.mailbox,
      messageId: this.messageId,
      kind: this.kind ?? 'unknown',
      reason,
      detail,
      quarantinedAt: new Date(this.context.now()).toISOString(),
      attempts: this.previous?.count ?? 0,
      acknowledgedInMesh: options.acknowledge || this.alreadyAcknowledged,
      bodyBytes: options.bodyBytes ?? this.message?.body.length,
      headers: this.message ? withoutBody(this.message) : this.headers,
    };
  }

  /** The answer as received (empty when its body was never read) under its own MESH message id. */
  private archiveEntry(): { meshMessageId: string; body: Buffer; at: Date } {
    const body = this.message?.body ?? Buffer.alloc(0);
    return { meshMessageId: this.messageId, body, at: new Date(this.context.now()) };
  }

  private async acknowledge(): Promise<void> {
    if (!this.alreadyAcknowledged) await this.context.mesh.acknowledge(this.messageId);
  }
}

function withoutBody(message: MeshIncomingMessage): MeshMessageHeaders {
  const { body: _body, ...headers } = message;
  return headers;
}

/** PHI-free: error type and its (already redacted, sanitised) message. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return 'an unknown error';
  return `${error.name}: ${foreignText(error.message) ?? ''}`;
}

/** MESH status timestamps are `yyyyMMddHHmmss` UTC. */
function meshTime(timestamp: string | undefined): number | undefined {
  const parts = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/
    .exec(timestamp ?? '')
    ?.slice(1)
    .map(Number);
  if (!parts) return undefined;
  const [year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0] = parts;
  return Date.UTC(year, month - 1, day, hour, minute, second);
}
