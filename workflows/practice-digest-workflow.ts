/**
 * The daily digest of one practice, started by its Temporal Schedule (worker/digest-schedules.ts): what is open,
 * what waits too long for an acknowledgement, and which encounters the last reconciliation found missing. It also
 * judges the unacknowledged backlog against its threshold; whether that alert is open comes from the schedule's
 * previous digest (its result), so each digest continues the alert the one before left.
 */
import { patched, proxyActivities } from '@temporalio/workflow';
import { alertKey, backlogNotice, practiceSubject } from '../domain/alerts';
import type { PracticeDigest, PracticeDigestActivities, PracticeDigestInput } from './practice-digest-activities';

const digest = proxyActivities<PracticeDigestActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '10 seconds', maximumInterval: '10 minutes' },
});

export const PRACTICE_DIGEST_WORKFLOW_TYPE = 'practiceDigestWorkflow';

export function practiceDigestScheduleId(practiceOds: string): string {
  return `practice-digest-${practiceOds.toUpperCase()}`;
}

/** Digests before this patch raised no backlog alert. */
export const UNACKNOWLEDGED_BACKLOG_PATCH = 'unacknowledged-backlog';

export async function practiceDigestWorkflow(input: PracticeDigestInput): Promise<PracticeDigest> {
  const composed = await digest.composePracticeDigest(input);
  await digest.deliverPracticeDigest(composed);
  if (patched(UNACKNOWLEDGED_BACKLOG_PATCH)) await judgeUnacknowledged(input, composed);
  return composed;
}

/** Opens, updates or resolves the practice's unacknowledged backlog alert (domain/alerts.ts). */
async function judgeUnacknowledged(input: PracticeDigestInput, composed: PracticeDigest): Promise<void> {
  if (input.unacknowledgedAlertAbove === undefined || composed.unacknowledgedCount === undefined) return;
  const previous = await digest.previousUnacknowledgedBacklog({ practiceOds: input.practiceOds });
  const key = alertKey(practiceSubject(input.practiceOds), 'unacknowledged-backlog');
  const backlog = { size: composed.unacknowledgedCount, threshold: input.unacknowledgedAlertAbove };
  const what = `report(s) awaiting acknowledgement for over ${input.unacknowledgedAfterDays} day(s)`;
  const { notice, open } = backlogNotice(key, previous ?? undefined, backlog, what);
  composed.unacknowledgedBacklog = open;
  if (notice) await digest.raisePracticeAlert({ kind: 'unacknowledged-backlog', practiceOds: input.practiceOds, ...notice });
}
