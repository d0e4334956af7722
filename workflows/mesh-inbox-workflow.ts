/**
 * One long-running poller per sending mailbox: drains the MESH inbox no more often than the configured interval
 * (MESH asks for ≥ 5 minutes), routes ITK3 acknowledgements and MESH reports to their encounter workflows, and
 * handshakes once a day. Continues as new every few hundred polls to keep its history short.
 */
import { condition, continueAsNew, defineQuery, defineSignal, proxyActivities, setHandler } from '@temporalio/workflow';
import type { InboxActivities, InboxPollSummary } from './mesh-inbox-activities';

const POLLS_PER_RUN = 200;
const HANDSHAKE_EVERY_MS = 24 * 3_600_000;

export interface MeshInboxWorkflowInput {
  mailbox: string;
  pollIntervalMs: number;
  lastHandshakeAt?: number;
  totals?: InboxPollSummary;
}

export const pollInboxNowSignal = defineSignal('pollInboxNow');
export const inboxTotalsQuery = defineQuery<InboxPollSummary>('inboxTotals');

export function meshInboxWorkflowId(mailbox: string): string {
  return `mesh-inbox-${mailbox.toUpperCase()}`;
}

const inbox = proxyActivities<InboxActivities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

export const EMPTY_POLL_SUMMARY: InboxPollSummary = { downloaded: 0, acknowledgements: 0, reports: 0, quarantined: 0, unmatched: 0 };

export async function meshInboxWorkflow(input: MeshInboxWorkflowInput): Promise<void> {
  let lastHandshakeAt = input.lastHandshakeAt ?? 0;
  const totals: InboxPollSummary = { ...EMPTY_POLL_SUMMARY, ...input.totals };
  let pollRequested = false;
  setHandler(pollInboxNowSignal, () => void (pollRequested = true));
  setHandler(inboxTotalsQuery, () => totals);

  for (let poll = 0; poll < POLLS_PER_RUN; poll++) {
    if (Date.now() - lastHandshakeAt >= HANDSHAKE_EVERY_MS) {
      await inbox.handshakeMailbox({ mailbox: input.mailbox });
      lastHandshakeAt = Date.now();
    }
    const summary = await inbox.processInbox({ mailbox: input.mailbox });
    for (const key of Object.keys(totals) as (keyof InboxPollSummary)[]) totals[key] += summary[key];
    await condition(() => pollRequested, input.pollIntervalMs);
    pollRequested = false;
  }
  await continueAsNew<typeof meshInboxWorkflow>({ ...input, lastHandshakeAt, totals });
}
