/**
 * The daily digest of one practice, started by its Temporal Schedule (worker/digest-schedules.ts): what is open,
 * what waits too long for an acknowledgement, and which encounters the last reconciliation found missing.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { PracticeDigest, PracticeDigestActivities, PracticeDigestInput } from './practice-digest-activities';

const digest = proxyActivities<PracticeDigestActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '10 seconds', maximumInterval: '10 minutes' },
});

export const PRACTICE_DIGEST_WORKFLOW_TYPE = 'practiceDigestWorkflow';

export function practiceDigestScheduleId(practiceOds: string): string {
  return `practice-digest-${practiceOds.toUpperCase()}`;
}

export async function practiceDigestWorkflow(input: PracticeDigestInput): Promise<PracticeDigest> {
  const composed = await digest.composePracticeDigest(input);
  await digest.deliverPracticeDigest(composed);
  return composed;
}
