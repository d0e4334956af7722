/**
 * One long-running poller per practice mailbox: drains the MESH inbox no more often than the configured interval
 * (MESH asks for ≥ 5 minutes), routes ITK3 acknowledgements and MESH reports to their encounter workflows, and
 * handshakes once a day. Continues as new every few hundred polls to keep its history short.
 *
 * Since patch `inbox-isolation`: the failed attempts of each message live in this workflow's state (counted across
 * polls, workers and continue-as-new; the activity quarantines a message past its limit); a poll that fails is tried
 * a few times and then waits for the next interval, alerting when polls keep failing; the inbox's alerts are raised
 * here, so an alert sink that is down delays no message; operators replay quarantined messages through an Update.
 */
import {
  ActivityFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  defineUpdate,
  log,
  patched,
  proxyActivities,
  setHandler,
} from '@temporalio/workflow';
import { alertKey, backlogNotice, mailboxSubject, type BacklogSize, type OpenBacklog } from '../domain/alerts';
import { foreignText } from '../domain/foreign-text';
import {
  EMPTY_POLL_SUMMARY,
  type InboxActivities,
  type InboxAlert,
  type InboxAttempts,
  type InboxPollSummary,
  type ReplayOutcome,
} from './mesh-inbox-activities';

const POLLS_PER_RUN = 200;
const HANDSHAKE_EVERY_MS = 24 * 3_600_000;
/** Consecutive failed polls before the first alert, then one alert per this many more (hourly at 5-minute polls). */
const FAILED_POLLS_BEFORE_ALERT = 3;
const FAILED_POLLS_BETWEEN_ALERTS = 12;

/** The patch of per-message isolation (see above); runs recorded before it replay the single-activity poll. */
export const INBOX_ISOLATION_PATCH = 'inbox-isolation';
/** A quarantine past its threshold opens a backlog alert, updated as it grows and resolved when it falls back. */
export const QUARANTINE_BACKLOG_PATCH = 'quarantine-backlog';

export interface MeshInboxWorkflowInput {
  mailbox: string;
  pollIntervalMs: number;
  lastHandshakeAt?: number;
  totals?: InboxPollSummary;
  /** Failed attempts of messages still in the inbox, carried across continue-as-new. */
  attempts?: InboxAttempts;
  failedPolls?: number;
  /** The quarantine backlog whose alert is open, carried across continue-as-new. */
  quarantineBacklog?: OpenBacklog;
}

/** What the inbox workflow knows: for operators and tests. */
export interface InboxStatus {
  polls: number;
  failedPolls: number;
  totals: InboxPollSummary;
  attempts: InboxAttempts;
  /** The quarantine backlog while its alert is open. */
  quarantineBacklog?: OpenBacklog;
}

export interface ReplayRequest {
  /** MESH message id of the quarantined message. */
  messageId: string;
  /** Operator name or ticket, kept in history for audit. */
  requestedBy: string;
}

export const pollInboxNowSignal = defineSignal('pollInboxNow');
export const inboxTotalsQuery = defineQuery<InboxPollSummary>('inboxTotals');
export const inboxStatusQuery = defineQuery<InboxStatus>('inboxStatus');
export const replayQuarantinedUpdate = defineUpdate<ReplayOutcome, [ReplayRequest]>('replayQuarantined');

export function meshInboxWorkflowId(mailbox: string): string {
  return `mesh-inbox-${mailbox.toUpperCase()}`;
}

/** Before the patch: the poll retried until it succeeded. */
const inbox = proxyActivities<InboxActivities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

/** A poll that still fails after these tries waits for the next interval (messages count their own attempts). */
const isolatedInbox = proxyActivities<InboxActivities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '1 minute',
  retry: {
    initialInterval: '10 seconds',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    maximumAttempts: 3,
  },
});

const inboxAlerts = proxyActivities<Pick<InboxActivities, 'raiseInboxAlert'>>({
  startToCloseTimeout: '1 minute',
  retry: {
    initialInterval: '10 seconds',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    maximumAttempts: 5,
  },
});

export { EMPTY_POLL_SUMMARY };

class InboxState {
  readonly mailbox: string;
  lastHandshakeAt: number;
  readonly totals: Required<InboxPollSummary>;
  attempts: InboxAttempts;
  failedPolls: number;
  quarantineBacklog: OpenBacklog | undefined;
  polls = 0;
  pollRequested = false;

  constructor(private readonly input: MeshInboxWorkflowInput) {
    this.mailbox = input.mailbox;
    this.lastHandshakeAt = input.lastHandshakeAt ?? 0;
    this.totals = { ...EMPTY_POLL_SUMMARY, ...input.totals };
    this.attempts = input.attempts ?? {};
    this.failedPolls = input.failedPolls ?? 0;
    this.quarantineBacklog = input.quarantineBacklog;
  }

  handshakeDue(): boolean {
    return Date.now() - this.lastHandshakeAt >= HANDSHAKE_EVERY_MS;
  }

  add(summary: InboxPollSummary): void {
    for (const key of Object.keys(this.totals) as (keyof InboxPollSummary)[])
      this.totals[key] += summary[key] ?? 0;
  }

  failureAlertDue(): boolean {
    const beyond = this.failedPolls - FAILED_POLLS_BEFORE_ALERT;
    return beyond >= 0 && beyond % FAILED_POLLS_BETWEEN_ALERTS === 0;
  }

  status(): InboxStatus {
    const { polls, failedPolls, totals, attempts, quarantineBacklog } = this;
    return { polls, failedPolls, totals, attempts, quarantineBacklog };
  }

  carried(): MeshInboxWorkflowInput {
    const { lastHandshakeAt, totals, attempts, failedPolls, quarantineBacklog } = this;
    return { ...this.input, lastHandshakeAt, totals, attempts, failedPolls, quarantineBacklog };
  }
}

export async function meshInboxWorkflow(input: MeshInboxWorkflowInput): Promise<void> {
  const state = new InboxState(input);
  setHandler(pollInboxNowSignal, () => void (state.pollRequested = true));
  setHandler(inboxTotalsQuery, () => state.totals);
  setHandler(inboxStatusQuery, () => state.status());
  setHandler(replayQuarantinedUpdate, (request) => replay(state, request), { validator: validateReplay });

  for (let poll = 0; poll < POLLS_PER_RUN; poll++) {
    if (patched(INBOX_ISOLATION_PATCH)) await isolatedPoll(state);
    else await pollBeforeIsolation(state);
    state.polls += 1;
    await condition(() => state.pollRequested, input.pollIntervalMs);
    state.pollRequested = false;
  }
  await condition(allHandlersFinished);
  await continueAsNew<typeof meshInboxWorkflow>(state.carried());
}

async function pollBeforeIsolation(state: InboxState): Promise<void> {
  if (state.handshakeDue()) {
    await inbox.handshakeMailbox({ mailbox: state.mailbox });
    state.lastHandshakeAt = Date.now();
  }
  state.add(await inbox.processInbox({ mailbox: state.mailbox }));
}

async function isolatedPoll(state: InboxState): Promise<void> {
  const { mailbox } = state;
  try {
    if (state.handshakeDue()) {
      await isolatedInbox.handshakeMailbox({ mailbox });
      state.lastHandshakeAt = Date.now();
    }
    const result = await isolatedInbox.processInbox({ mailbox, attempts: state.attempts });
    state.attempts = result.attempts;
    state.failedPolls = 0;
    state.add(result);
    for (const alert of result.alerts) await raise(alert);
    if (result.quarantineBacklog && patched(QUARANTINE_BACKLOG_PATCH)) await judgeQuarantine(state, result.quarantineBacklog);
  } catch (error) {
    if (!(error instanceof ActivityFailure)) throw error;
    state.failedPolls += 1;
    log.warn('MESH inbox poll failed', { mailbox, failedPolls: state.failedPolls });
    if (!state.failureAlertDue()) return;
    const cause = foreignText(error.cause?.message ?? error.message) ?? 'unknown';
    await raise({
      kind: 'inbox-poll-failing',
      mailbox,
      detail: `${state.failedPolls} polls in a row failed: ${cause}`,
    });
  }
}

/** Opens, updates or resolves the mailbox's quarantine backlog alert (domain/alerts.ts). */
async function judgeQuarantine(state: InboxState, backlog: BacklogSize): Promise<void> {
  const key = alertKey(mailboxSubject(state.mailbox), 'quarantine-backlog');
  const { notice, open } = backlogNotice(key, state.quarantineBacklog, backlog, 'MESH message(s) in quarantine');
  state.quarantineBacklog = open;
  if (notice) await raise({ kind: 'quarantine-backlog', mailbox: state.mailbox, ...notice });
}

/** An alert that cannot be delivered is logged, not retried forever: polling goes on. */
async function raise(alert: InboxAlert): Promise<void> {
  try {
    await inboxAlerts.raiseInboxAlert(alert);
  } catch (error) {
    if (!(error instanceof ActivityFailure)) throw error;
    log.error('inbox alert not delivered', { kind: alert.kind, mailbox: alert.mailbox });
  }
}

async function replay(state: InboxState, request: ReplayRequest): Promise<ReplayOutcome> {
  const outcome = await isolatedInbox.replayQuarantined({ mailbox: state.mailbox, ...request });
  if (outcome.outcome === 'routed') delete state.attempts[request.messageId];
  return outcome;
}

function validateReplay(request: ReplayRequest): void {
  if (!/^[A-Za-z0-9_-]{1,100}$/.test(request.messageId))
    throw new Error('messageId must be a MESH message id');
  if (!request.requestedBy?.trim()) throw new Error('requestedBy is required (an operator name or ticket)');
}
