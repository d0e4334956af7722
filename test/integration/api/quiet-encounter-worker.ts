/**
 * A worker running the real encounter workflow with only the activities it calls before its quiet period (settings
 * with a one-hour period), so nothing is ever sent and tests can watch what the workflow does with its messages.
 */
import type { CodecKeyring } from '../../../common/codec-keys';
import type { EncounterActivities } from '../../../workflows/encounter-activities';
import { ENCOUNTER_TASK_QUEUE } from '../../../workflows/encounter-identity';
import { startTestWorker, type TestWorker } from './support';

const HOUR = 3_600_000;

const quietActivities: Pick<EncounterActivities, 'previousRunSummary' | 'loadPracticeSettings'> = {
  previousRunSummary: () => Promise.resolve(null),
  loadPracticeSettings: () =>
    Promise.resolve({
      quietPeriodMs: HOUR,
      maxTotalWaitMs: null,
      senderMailbox: 'X26ABC1',
      infrastructureAckWindowMs: HOUR,
      businessAckWindowMs: 2 * HOUR,
      idleRetentionMs: 24 * HOUR,
    }),
};

export function startQuietEncounterWorker(keyring: CodecKeyring): Promise<TestWorker> {
  return startTestWorker({
    keyring,
    taskQueue: ENCOUNTER_TASK_QUEUE,
    workflowsPath: require.resolve('../../../workflows'),
    activities: quietActivities,
  });
}
