/**
 * One poll of a practice mailbox's MESH inbox, listing only fedreport's workflows (MESH workflow filter), each message
 * handled on its own (activities/inbox/inbox-message.ts): a message that fails counts an attempt in the inbox
 * workflow's state and is tried again next poll, up to the policy's limit, then quarantined; it never stops the
 * others. Also: replaying a quarantined message, and raising the inbox's alerts.
 */
import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import { foreignText } from '../../domain/foreign-text';
import type { MeshMailboxes } from '../../integrations/mesh/mailboxes';
import { QuarantineStore, quarantineMessageIdSchema } from '../../integrations/mesh/quarantine-store';
import {
  EMPTY_POLL_SUMMARY,
  type InboxActivities,
  type InboxAlert,
  type InboxAttempts,
  type InboxPollResult,
  type MessageAttempts,
  type ReplayOutcome,
} from '../../workflows/mesh-inbox-activities';
import { deliverAlert, logAlertSink, type AlertSink } from '../alerts/raise-alert';
import { forEachInFlight } from '../../common/in-flight';
import { toActivityFailure } from '../failures';
import type { ArchiveRepository } from '../../integrations/store/archive-repository';
import { AnswerArchive } from './answer-archive';
import { createAnswerRouter } from './answer-routing';
import {
  describeError,
  InboxMessage,
  type Handled,
  type InboxMessageDependencies,
  type MailboxContext,
} from './inbox-message';
import { DEFAULT_INBOX_POLICY, listedWorkflows, type InboxPolicy } from './inbox-policy';
import type { SentMessageDirectory } from './sent-message-directory';
import type { DocumentHandover } from './document-handover';

/** Individual alerts per poll; beyond this, one alert says how many more were quarantined. */
const MAX_ALERTS_PER_POLL = 10;
const HEARTBEAT_EVERY_MS = 10_000;

export interface InboxDependencies {
  mailboxes: MeshMailboxes;
  temporal: Client;
  /** Where each answer is kept, linked to the message it answers. */
  archive: ArchiveRepository;
  /** The quarantine store's folder (PHI-bearing: protect it). */
  quarantineDir: string;
  /** Encounters this worker sent reports for; shared with the delivery activities. */
  sentMessages?: SentMessageDirectory;
  logger: Logger;
  policy?: Partial<InboxPolicy>;
  /** Where inbox alerts go besides the log (the worker's alert sinks). */
  alertSinks?: AlertSink[];
  /** The practice whose mailbox this is (federation settings), for an answer that must start a new encounter run. */
  practiceOfMailbox?: (mailbox: string) => Promise<string | undefined>;
  /** Where documents go when the policy takes them (the receiver). */
  handover?: DocumentHandover;
}

export function createInboxActivities(deps: InboxDependencies): InboxActivities {
  const policy: InboxPolicy = { ...DEFAULT_INBOX_POLICY, ...deps.policy };
  const store = new QuarantineStore(deps.quarantineDir);
  const messageDeps: InboxMessageDependencies = {
    policy,
    store,
    handover: deps.handover,
    logger: deps.logger,
    archive: new AnswerArchive(deps.archive, deps.logger),
    router: createAnswerRouter({
      temporal: deps.temporal,
      sentMessages: deps.sentMessages,
      practiceOfMailbox: deps.practiceOfMailbox ?? (() => Promise.resolve(undefined)),
    }),
    onQuarantined: (reason) =>
      Context.current()
        .metricMeter.createCounter(
          'fedreport_inbox_quarantined',
          'messages',
          'MESH messages kept for operators',
        )
        .withTags({ reason })
        .add(1),
  };
  const contextOf = (mailbox: string): MailboxContext => ({
    mailbox: mailbox.toUpperCase(),
    mesh: deps.mailboxes.clientFor(mailbox),
    taskQueue: Context.current().info.taskQueue,
    now: () => Date.now(),
  });

  return {
    handshakeMailbox: ({ mailbox }) =>
      failingAsTemporalFailure(() => deps.mailboxes.clientFor(mailbox).handshake()),

    processInbox: ({ mailbox, attempts = {} }) =>
      failingAsTemporalFailure(async () => {
        const poll = new InboxPoll(messageDeps, contextOf(mailbox), attempts);
        const heartbeat = setInterval(() => Context.current().heartbeat(), HEARTBEAT_EVERY_MS);
        try {
          for (const workflowFilter of listedWorkflows()) {
            for await (const page of poll.context.mesh.inboxPages({ workflowFilter })) {
              // Each message is its own round trips (download, archive, signal, acknowledge): several at once.
              await forEachInFlight(page, policy.messagesInFlight, (messageId) => poll.handle(messageId));
            }
          }
        } finally {
          clearInterval(heartbeat);
        }
        const held = await store.count(poll.context.mailbox);
        return { ...poll.result(), quarantineBacklog: { size: held, threshold: policy.quarantineAlertAbove } };
      }),

    async replayQuarantined({ mailbox, messageId, requestedBy }) {
      const outcome = await replay(messageDeps, contextOf(mailbox), messageId);
      deps.logger.info(
        { mailbox, meshMessageId: messageId, requestedBy: foreignText(requestedBy), ...outcome },
        'quarantined MESH message replayed',
      );
      return outcome;
    },

    raiseInboxAlert: (alert) => deliverAlert(deps.alertSinks ?? [logAlertSink(deps.logger)], alert),
  };
}

/** Errors that escape (listing, handshake) reach the workflow through the one mapping (activities/failures.ts). */
async function failingAsTemporalFailure<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toActivityFailure(error);
  }
}

/** One poll's bookkeeping: what each message came to, the attempts to remember, the alerts to raise. */
class InboxPoll {
  private readonly summary = { ...EMPTY_POLL_SUMMARY };
  private readonly attempts: InboxAttempts = {};
  private readonly alerts: InboxAlert[] = [];

  constructor(
    private readonly deps: InboxMessageDependencies,
    readonly context: MailboxContext,
    private readonly previous: InboxAttempts,
  ) {}

  async handle(messageId: string): Promise<void> {
    const previous = this.previous[messageId];
    if (!quarantineMessageIdSchema.safeParse(messageId).success) {
      this.deps.logger.warn(
        { mailbox: this.context.mailbox },
        'MESH listed a message id of an unexpected shape; left alone',
      );
      this.summary.leftForOthers += 1;
      return;
    }
    if (previous?.held) {
      this.attempts[messageId] = previous; // quarantined, still in MESH: until it leaves or is replayed
      return;
    }
    const message = new InboxMessage(this.deps, this.context, messageId, previous);
    try {
      this.record(messageId, previous, await message.process());
    } catch (error) {
      await this.failed(message, previous, error);
    } finally {
      if (message.downloaded) this.summary.downloaded += 1;
    }
  }

  result(): InboxPollResult {
    const alerts = this.alerts.slice(0, MAX_ALERTS_PER_POLL);
    const more = this.alerts.length - alerts.length;
    if (more > 0) {
      const detail = `${more} more MESH message(s) quarantined in this poll (fedreport quarantine list)`;
      alerts.push({ kind: 'inbox-quarantined', mailbox: this.context.mailbox, detail });
    }
    return { ...this.summary, attempts: this.attempts, alerts };
  }

  private record(messageId: string, previous: MessageAttempts | undefined, handled: Handled): void {
    switch (handled.outcome) {
      case 'document':
        this.summary.documents += 1;
        return;
      case 'acknowledgement':
      case 'report':
        this.summary[handled.outcome === 'report' ? 'reports' : 'acknowledgements'] += 1;
        Context.current()
          .metricMeter.createCounter(
            'fedreport_acknowledgements',
            'messages',
            'ITK3 acks and MESH reports by code',
          )
          .withTags({ code: handled.code })
          .add(1);
        return;
      case 'unmatched':
        this.summary.unmatched += 1;
        this.attempts[messageId] = { count: previous?.count ?? 0, firstSeenAt: handled.firstSeenAt };
        return;
      case 'quarantined':
        this.summary.quarantined += 1;
        this.alerts.push(handled.alert);
        if (!handled.acknowledged) this.attempts[messageId] = { count: previous?.count ?? 0, held: true };
        return;
      case 'left':
        this.summary.leftForOthers += 1;
    }
  }

  /** Counts the attempt; past the limit the message is quarantined (and if even that fails, tried next poll). */
  private async failed(
    message: InboxMessage,
    previous: MessageAttempts | undefined,
    error: unknown,
  ): Promise<void> {
    const count = (previous?.count ?? 0) + 1;
    const lastError = describeError(error);
    const { mailbox } = this.context;
    this.deps.logger.warn(
      { mailbox, meshMessageId: message.messageId, attempt: count, error: lastError },
      'MESH message failed',
    );
    if (count >= this.deps.policy.maxAttempts) {
      try {
        this.record(message.messageId, { ...previous, count }, await message.giveUp(error, count));
        return;
      } catch (again) {
        this.deps.logger.error(
          { mailbox, meshMessageId: message.messageId, error: describeError(again) },
          'cannot quarantine MESH message',
        );
      }
    }
    this.summary.retrying += 1;
    this.attempts[message.messageId] = { ...previous, count, lastError };
  }
}

/** A quarantined message processed again: routed (and removed from quarantine), or kept with the reason. */
async function replay(
  deps: InboxMessageDependencies,
  context: MailboxContext,
  messageId: string,
): Promise<ReplayOutcome> {
  const record = await deps.store.get(context.mailbox, messageId);
  if (!record)
    return { outcome: 'not-found', detail: `no quarantined message ${messageId} for ${context.mailbox}` };
  const message = new InboxMessage(deps, context, messageId, { count: record.attempts });
  const body = await deps.store.body(context.mailbox, messageId);
  const kept = body !== undefined || record.kind === 'report';
  let handled: Handled;
  try {
    handled =
      kept || record.acknowledgedInMesh
        ? await message.replay(record, body ?? Buffer.alloc(0))
        : await message.process(false);
  } catch (error) {
    return { outcome: 'still-quarantined', detail: `replay failed: ${describeError(error)}` };
  }
  if (handled.outcome === 'acknowledgement' || handled.outcome === 'report') {
    await deps.store.remove(context.mailbox, messageId);
    return { outcome: 'routed', detail: `${handled.outcome} ${handled.code} delivered to its encounter` };
  }
  if (handled.outcome === 'document') {
    // A document whose handover kept failing (still in MESH): handed over now.
    await deps.store.remove(context.mailbox, messageId);
    return { outcome: 'routed', detail: 'document handed to its received-message workflow' };
  }
  if (handled.outcome === 'quarantined')
    return { outcome: 'still-quarantined', detail: handled.alert.detail };
  return { outcome: 'still-quarantined', detail: 'not taken by this inbox with the current settings' };
}
