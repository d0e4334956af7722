/**
 * The Temporal Schedule that purges the archive daily at 03:00 in England (a quiet hour), with the retention of
 * FEDREPORT_ARCHIVE_RETENTION_DAYS. Created at worker start, updated when the retention changes, never duplicated.
 */
import {
  ScheduleAlreadyRunning,
  ScheduleOverlapPolicy,
  type Client,
  type ScheduleOptions,
} from '@temporalio/client';
import { ENCOUNTER_TASK_QUEUE } from '../workflows/encounter-identity';
import { ARCHIVE_PURGE_SCHEDULE_ID, ARCHIVE_PURGE_WORKFLOW_TYPE } from '../workflows/archive-purge-workflow';

function purgeSchedule(retentionDays: number, taskQueue: string): ScheduleOptions {
  return {
    scheduleId: ARCHIVE_PURGE_SCHEDULE_ID,
    spec: { calendars: [{ hour: 3, minute: 0 }], timezone: 'Europe/London' },
    action: {
      type: 'startWorkflow',
      workflowType: ARCHIVE_PURGE_WORKFLOW_TYPE,
      workflowId: ARCHIVE_PURGE_SCHEDULE_ID,
      taskQueue,
      args: [{ retentionDays }],
    },
    // A purge still running makes another pointless; a missed day is caught up by the next one's cut-off.
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 hour' },
  };
}

export async function ensureArchivePurgeSchedule(
  client: Client,
  retentionDays: number,
  taskQueue = ENCOUNTER_TASK_QUEUE,
): Promise<void> {
  const options = purgeSchedule(retentionDays, taskQueue);
  try {
    await client.schedule.create(options);
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    const handle = client.schedule.getHandle(options.scheduleId);
    try {
      await handle.update((previous) => ({
        ...previous,
        spec: options.spec,
        action: options.action,
        policies: options.policies,
      }));
    } catch {
      // Its arguments unreadable here (sealed under a key this worker does not hold, or not sealed): the schedule
      // keeps no state, so it is made anew; a server that cannot be reached fails the delete as well.
      await handle.delete();
      await client.schedule.create(options).catch((racing: unknown) => {
        if (!(racing instanceof ScheduleAlreadyRunning)) throw racing;
      });
    }
  }
}
