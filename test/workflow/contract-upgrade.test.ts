/**
 * A contract change while an encounter waits (issue 15, point 8), on the time-skipping server: an encounter saved
 * under contract version 1 waits out its quiet period while its worker is replaced by one of a release whose
 * contract is version 2; the workflow hands that worker the stored version-1 snapshot, never re-validated, and the
 * new worker's delivery upgrades it before sending. (test/integration/delivery/contract-upgrade.test.ts does the
 * same with the real delivery activity on the dev server.)
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { buildDataConverter } from '../../common/data-converter';
import type { StoredSnapshot } from '../../domain/snapshot-versions';
import { buildWorkflowBundle } from '../../worker/bundle';
import type { EncounterActivities } from '../../workflows/encounter-activities';
import { encounterWorkflowId } from '../../workflows/encounter-identity';
import { consultationSavedSignal, statusQuery } from '../../workflows/encounter-messages';
import { TEST_KEYRING } from '../support/codec';
import { contractVersion2Upgrader } from '../support/contract-version-2';
import { createTimeSkippingEnv } from '../support/temporal';
import { eventually } from './support/encounter-scenarios';
import { RecordingWorld } from './support/recording-activities';
import { snapshotAt } from './support/snapshots';

const HOUR = 3_600_000;
const TASK_QUEUE = 'contract-upgrade-test';
const encounterId = '00000000-0000-4000-8000-00000000c0de';
const dataConverter = buildDataConverter(TEST_KEYRING);

let env: TestWorkflowEnvironment;
let workflowBundle: WorkflowBundleWithSourceMap;
beforeAll(async () => {
  [env, workflowBundle] = await Promise.all([
    createTimeSkippingEnv({ dataConverter }),
    buildWorkflowBundle(),
  ]);
});
afterAll(async () => {
  await env?.teardown();
});

/** No sticky cache: the test server does not move a sticky workflow to the normal queue when its worker leaves. */
async function runWorker(activities: EncounterActivities, body: () => Promise<void>): Promise<void> {
  const worker = await Worker.create({
    maxCachedWorkflows: 0,
    connection: env.nativeConnection,
    dataConverter,
    taskQueue: TASK_QUEUE,
    workflowBundle,
    activities,
  });
  await worker.runUntil(body);
}

it('a worker of contract version 2 sends the version-1 snapshot saved before it, upgraded', async () => {
  const world = new RecordingWorld(() => env.currentTimeMs());
  const handle = env.client.workflow.getHandle(encounterWorkflowId(encounterId));
  const saved = { ...snapshotAt(await env.currentTimeMs(), 1, { encounterId }), schemaVersion: 1 };

  await runWorker(world.activities(), async () => {
    await env.client.workflow.signalWithStart('encounterWorkflow', {
      workflowId: encounterWorkflowId(encounterId),
      taskQueue: TASK_QUEUE,
      args: [{ encounterId, hostingPracticeOds: 'Y90001' }],
      signal: consultationSavedSignal,
      signalArgs: [saved],
    });
    await eventually(async () =>
      expect((await handle.query(statusQuery)).state).toBe('waiting-quiet-period'),
    );
  });

  const upgrade = contractVersion2Upgrader<StoredSnapshot>();
  const sent: StoredSnapshot[] = [];
  const release2 = world.activities();
  const sendReport: EncounterActivities['sendReport'] = async (input) => {
    sent.push(upgrade(input.snapshot));
    return release2.sendReport(input);
  };
  await runWorker({ ...release2, sendReport }, async () => {
    await env.sleep(3 * HOUR + 60_000);
    await eventually(async () =>
      expect((await handle.query(statusQuery)).state).toBe('awaiting-acknowledgement'),
    );
  });

  expect(world.sends).toHaveLength(1);
  expect(world.sends[0]!.snapshot).toEqual(JSON.parse(JSON.stringify(saved)));
  expect(sent[0]).toMatchObject({ schemaVersion: 2, consultation: { endedAt: saved.savedAt } });
  await handle.terminate('test finished');
});
