/**
 * One Temporal Schedule per practice starts its daily digest (workflows/practice-digest-workflow.ts). Created at
 * worker start, updated when the time or threshold changes, so a restart never duplicates them.
 */
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client, type ScheduleOptions } from '@temporalio/client';
import { z } from 'zod';
import { ValidationError, fieldIssuesFromZod } from '../domain/validation-error';
import { ENCOUNTER_TASK_QUEUE } from '../workflows/encounter-identity';
import { PRACTICE_DIGEST_WORKFLOW_TYPE, practiceDigestScheduleId } from '../workflows/practice-digest-workflow';

export interface DigestSettings {
  /** Local time of day in England, HH:MM. */
  time: string;
  unacknowledgedAfterDays: number;
  /** More reports than this awaiting acknowledgement past those days open the practice's backlog alert. */
  unacknowledgedAlertAbove: number;
}

const digestSettingsSchema = z.object({
  FEDREPORT_DIGEST_TIME: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time of day as HH:MM (24-hour, England)')
    .default('07:00'),
  FEDREPORT_DIGEST_UNACKNOWLEDGED_DAYS: z.coerce.number().int('must be a whole number of days').min(1, 'must be at least 1').max(60, 'must be at most 60').default(3),
  FEDREPORT_DIGEST_UNACKNOWLEDGED_ALERT_ABOVE: z.coerce.number().int('must be a whole number of reports').min(0, 'must be at least 0').default(10),
});

/** FEDREPORT_DIGEST_TIME (default 07:00), FEDREPORT_DIGEST_UNACKNOWLEDGED_DAYS (3), _UNACKNOWLEDGED_ALERT_ABOVE (10). */
export function digestSettingsFromEnv(env: NodeJS.ProcessEnv): DigestSettings {
  const parsed = digestSettingsSchema.safeParse({
    FEDREPORT_DIGEST_TIME: env.FEDREPORT_DIGEST_TIME || undefined,
    FEDREPORT_DIGEST_UNACKNOWLEDGED_DAYS: env.FEDREPORT_DIGEST_UNACKNOWLEDGED_DAYS || undefined,
    FEDREPORT_DIGEST_UNACKNOWLEDGED_ALERT_ABOVE: env.FEDREPORT_DIGEST_UNACKNOWLEDGED_ALERT_ABOVE || undefined,
  });
  if (!parsed.success) throw new ValidationError('digest settings', fieldIssuesFromZod(parsed.error));
  return {
    time: parsed.data.FEDREPORT_DIGEST_TIME,
    unacknowledgedAfterDays: parsed.data.FEDREPORT_DIGEST_UNACKNOWLEDGED_DAYS,
    unacknowledgedAlertAbove: parsed.data.FEDREPORT_DIGEST_UNACKNOWLEDGED_ALERT_ABOVE,
  };
}

function scheduleFor(practiceOds: string, settings: DigestSettings, taskQueue: string): ScheduleOptions {
  const [hour, minute] = settings.time.split(':').map(Number);
  return {
    scheduleId: practiceDigestScheduleId(practiceOds),
    spec: { calendars: [{ hour, minute }], timezone: 'Europe/London' },
    action: {
      type: 'startWorkflow',
      workflowType: PRACTICE_DIGEST_WORKFLOW_TYPE,
      workflowId: practiceDigestScheduleId(practiceOds),
      taskQueue,
      args: [{ practiceOds, unacknowledgedAfterDays: settings.unacknowledgedAfterDays, unacknowledgedAlertAbove: settings.unacknowledgedAlertAbove }],
    },
    // A digest that is still running (an outage) makes the next one pointless; a missed one is not caught up.
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 hour' },
  };
}

/** Creates or updates the digest schedule of every practice. */
export async function ensureDigestSchedules(client: Client, practices: readonly string[], settings: DigestSettings, taskQueue = ENCOUNTER_TASK_QUEUE): Promise<void> {
  for (const practiceOds of practices) {
    const options = scheduleFor(practiceOds, settings, taskQueue);
    try {
      await client.schedule.create(options);
    } catch (error) {
      if (!(error instanceof ScheduleAlreadyRunning)) throw error;
      await client.schedule.getHandle(options.scheduleId).update((previous) => ({ ...previous, spec: options.spec, action: options.action, policies: options.policies }));
    }
  }
}
