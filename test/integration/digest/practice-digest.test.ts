/**
 * The daily practice digest on the dev server: one schedule per practice (created once, updated after), and the
 * digest it starts counts the practice's open encounters by state, lists overdue acknowledgements and reports the
 * missed hooks of the last reconciliation, through the alert sinks.
 */
import crypto from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createPracticeDigestActivities } from '../../../activities/digest/practice-digest';
import type { AnyAlert } from '../../../activities/alerts/raise-alert';
import { buildWorkflowBundle } from '../../../worker/bundle';
import { digestSettingsFromEnv, ensureDigestSchedules } from '../../../worker/digest-schedules';
import { encounterWorkflowId } from '../../../workflows/encounter-identity';
import { ENCOUNTER_WORKFLOW_TYPE, type ReportState } from '../../../workflows/encounter-messages';
import type { PracticeDigest, ReconciliationSummary } from '../../../workflows/practice-digest-activities';
import { practiceDigestScheduleId, practiceDigestWorkflow } from '../../../workflows/practice-digest-workflow';
import {
  practiceReconciliationWorkflow,
  practiceReconciliationWorkflowId,
  reconciliationRecordedSignal,
} from '../../../workflows/practice-reconciliation-workflow';
import { PRACTICE_ODS, REPORT_STATUS } from '../../../workflows/search-attributes';
import { testTemporal } from '../../support/servers';
import { validationIssues } from '../../support/validation-issues';

const PRACTICE = `D${crypto.randomInt(1e8).toString().padStart(8, '0')}`;
const TASK_QUEUE = `practice-digest-test-${PRACTICE}`;
/** A practice of its own for the backlog alert, so other tests' encounters do not count. */
const BACKLOG_PRACTICE = `E${PRACTICE.slice(1)}`;
const delivered: AnyAlert[] = [];
const started: string[] = [];
let client: Client;
let nativeConnection: NativeConnection;
let worker: Worker;
let running: Promise<void>;

beforeAll(async () => {
  const { address, namespace } = testTemporal();
  client = new Client({ connection: await Connection.connect({ address }), namespace });
  nativeConnection = await NativeConnection.connect({ address });
  worker = await Worker.create({
    connection: nativeConnection,
    namespace,
    taskQueue: TASK_QUEUE,
    workflowBundle: await buildWorkflowBundle(),
    activities: createPracticeDigestActivities({ temporal: client, alertSinks: [{ deliver: (alert) => Promise.resolve(void delivered.push(alert)) }] }),
  });
  running = worker.run();
});

afterAll(async () => {
  for (const practice of [PRACTICE, BACKLOG_PRACTICE]) await client.schedule.getHandle(practiceDigestScheduleId(practice)).delete().catch(() => undefined);
  await Promise.all(started.map((id) => client.workflow.getHandle(id).terminate('digest test cleanup').catch(() => undefined)));
  worker.shutdown();
  await running;
  await nativeConnection.close();
});

/** An encounter of the practice as visibility shows it; no worker serves its queue. */
async function encounterIn(state: ReportState, practice = PRACTICE): Promise<string> {
  const encounterId = crypto.randomUUID();
  started.push(encounterWorkflowId(encounterId));
  await client.workflow.start(ENCOUNTER_WORKFLOW_TYPE, {
    workflowId: encounterWorkflowId(encounterId),
    taskQueue: `no-worker-${practice}`,
    args: [{ encounterId, hostingPracticeOds: practice }],
    typedSearchAttributes: [
      { key: PRACTICE_ODS, value: practice },
      { key: REPORT_STATUS, value: state },
    ],
  });
  return encounterId;
}

async function eventually<T>(read: () => Promise<T>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await read();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

it('reads its time and threshold from the environment, naming a bad value', () => {
  expect(digestSettingsFromEnv({})).toEqual({ time: '07:00', unacknowledgedAfterDays: 3, unacknowledgedAlertAbove: 10 });
  expect(validationIssues(() => digestSettingsFromEnv({ FEDREPORT_DIGEST_TIME: '7am', FEDREPORT_DIGEST_UNACKNOWLEDGED_DAYS: '0' })).map((i) => i.field)).toEqual([
    'FEDREPORT_DIGEST_TIME',
    'FEDREPORT_DIGEST_UNACKNOWLEDGED_DAYS',
  ]);
});

it('keeps one schedule per practice, daily in England, and updates it on the next start', async () => {
  await ensureDigestSchedules(client, [PRACTICE], { time: '07:00', unacknowledgedAfterDays: 3, unacknowledgedAlertAbove: 10 }, TASK_QUEUE);
  await ensureDigestSchedules(client, [PRACTICE], { time: '06:30', unacknowledgedAfterDays: 5, unacknowledgedAlertAbove: 2 }, TASK_QUEUE);
  const schedule = await client.schedule.getHandle(practiceDigestScheduleId(PRACTICE)).describe();
  expect(schedule.spec.timezone).toBe('Europe/London');
  expect(schedule.spec.calendars?.[0]).toMatchObject({ hour: [{ start: 6, end: 6, step: 1 }], minute: [{ start: 30, end: 30, step: 1 }] });
  expect(schedule.action).toMatchObject({ workflowType: 'practiceDigestWorkflow', args: [{ practiceOds: PRACTICE, unacknowledgedAfterDays: 5, unacknowledgedAlertAbove: 2 }] });
});

it('counts open encounters by state, lists the overdue ones and the last reconciliation’s missed hooks', async () => {
  const overdue = await encounterIn('awaiting-acknowledgement');
  await encounterIn('needs-attention');
  await encounterIn('needs-attention');
  const reconciliation: ReconciliationSummary = { practiceOds: PRACTICE, checkedAt: new Date().toISOString(), from: '2026-12-01', to: '2026-12-02', missedEncounterIds: [crypto.randomUUID()], missedCount: 1 };
  started.push(practiceReconciliationWorkflowId(PRACTICE));
  await client.workflow.signalWithStart(practiceReconciliationWorkflow, {
    workflowId: practiceReconciliationWorkflowId(PRACTICE),
    taskQueue: TASK_QUEUE,
    args: [null],
    signal: reconciliationRecordedSignal,
    signalArgs: [reconciliation],
  });
  const digest: PracticeDigest = await eventually(async () => {
    const result = await client.workflow.execute(practiceDigestWorkflow, { workflowId: `digest-now-${crypto.randomUUID()}`, taskQueue: TASK_QUEUE, args: [{ practiceOds: PRACTICE, unacknowledgedAfterDays: 0 }] });
    expect(result.countsByState).toEqual({ 'awaiting-acknowledgement': 1, 'needs-attention': 2 });
    return result;
  });
  expect(digest.unacknowledged).toEqual([overdue]);
  expect(digest.lastReconciliation).toEqual(reconciliation);
  const alert = delivered.at(-1);
  expect(alert).toMatchObject({ kind: 'practice-digest', practiceOds: PRACTICE });
  expect(alert?.detail).toBe(
    `practice ${PRACTICE}: awaiting-acknowledgement 1, needs-attention 2; 1 awaiting acknowledgement for over 0 day(s); 1 missed hook(s) at the reconciliation of ${reconciliation.checkedAt}`,
  );
});

it('the schedule, triggered, delivers a digest', async () => {
  const before = delivered.length;
  await client.schedule.getHandle(practiceDigestScheduleId(PRACTICE)).trigger();
  await eventually(async () => expect(delivered.length).toBeGreaterThan(before));
});

describe('the unacknowledged backlog alert', () => {
  const schedule = () => client.schedule.getHandle(practiceDigestScheduleId(BACKLOG_PRACTICE));
  const awaiting = async () => (await client.workflow.count(`PracticeOds = '${BACKLOG_PRACTICE}' AND ExecutionStatus = 'Running' AND ReportStatus = 'awaiting-acknowledgement'`)).count;
  const backlogAlerts = () => delivered.filter((a) => a.kind === 'unacknowledged-backlog' && a.practiceOds === BACKLOG_PRACTICE);

  /** Triggers the schedule once the previous digest is done (its result carries the open backlog) and visibility shows `size`. */
  async function digestWhen(size: number, notices: number): Promise<void> {
    await eventually(async () => expect(await awaiting()).toBe(size));
    await eventually(async () => expect((await schedule().describe()).info.runningActions).toHaveLength(0));
    await schedule().trigger();
    await eventually(async () => expect(backlogAlerts()).toHaveLength(notices));
  }

  it('opens past the threshold, is updated as the backlog grows, and resolved when it falls back, across scheduled digests', async () => {
    await ensureDigestSchedules(client, [BACKLOG_PRACTICE], { time: '07:00', unacknowledgedAfterDays: 0, unacknowledgedAlertAbove: 1 }, TASK_QUEUE);
    const first = [await encounterIn('awaiting-acknowledgement', BACKLOG_PRACTICE), await encounterIn('awaiting-acknowledgement', BACKLOG_PRACTICE)];
    await digestWhen(2, 1);
    const third = await encounterIn('awaiting-acknowledgement', BACKLOG_PRACTICE);
    await digestWhen(3, 2);
    for (const id of [...first, third]) await client.workflow.getHandle(encounterWorkflowId(id)).terminate('acknowledged, as far as this test goes');
    await digestWhen(0, 3);
    const key = `practice-${BACKLOG_PRACTICE}/unacknowledged-backlog`;
    expect(backlogAlerts()).toEqual([
      { kind: 'unacknowledged-backlog', practiceOds: BACKLOG_PRACTICE, key, status: 'open', count: 1, backlog: { size: 2, threshold: 1 }, detail: '2 report(s) awaiting acknowledgement for over 0 day(s): over the threshold of 1' },
      { kind: 'unacknowledged-backlog', practiceOds: BACKLOG_PRACTICE, key, status: 'updated', count: 2, backlog: { size: 3, threshold: 1 }, detail: '3 report(s) awaiting acknowledgement for over 0 day(s): over the threshold of 1' },
      { kind: 'unacknowledged-backlog', practiceOds: BACKLOG_PRACTICE, key, status: 'resolved', count: 2, backlog: { size: 0, threshold: 1 }, detail: '0 report(s) awaiting acknowledgement for over 0 day(s): back at or under the threshold of 1' },
    ]);
  }, 120_000);
});
