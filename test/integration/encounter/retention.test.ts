/**
 * Bounded lifetime on the real dev server: an encounter's workflow completes after its idle retention window, and a
 * later save starts a new run that continues the version numbering (and ignores a re-delivered old revision), read
 * from the previous run's result through the visibility API by the real previousRunSummary activity.
 */
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { buildDataConverter } from '../../../common/data-converter';
import { buildWorkflowBundle } from '../../../worker/bundle';
import { createPreviousRunActivities } from '../../../worker/previous-run';
import { encounterWorkflowId } from '../../../workflows/encounter-identity';
import { consultationSavedSignal, statusQuery } from '../../../workflows/encounter-messages';
import { TEST_KEYRING } from '../../support/codec';
import { testTemporal } from '../../support/servers';
import { installTestRuntime } from '../../support/temporal';
import { DEFAULT_SETTINGS, RecordingWorld } from '../../workflow/support/recording-activities';
import { snapshotAt } from '../../workflow/support/snapshots';

async function until<T>(probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('encounter retention and a new run', () => {
  it('completes after the idle window; a later save continues at version 2 and a stale revision is ignored', async () => {
    installTestRuntime();
    const { address, namespace } = testTemporal();
    const dataConverter = buildDataConverter(TEST_KEYRING);
    const client = new Client({ connection: await Connection.connect({ address }), namespace, dataConverter });
    const nativeConnection = await NativeConnection.connect({ address });
    const world = new RecordingWorld(async () => Date.now());
    world.settingsByPractice.set('Y90001', { ...DEFAULT_SETTINGS, quietPeriodMs: 1_000, idleRetentionMs: 4_000 });
    const taskQueue = `retention-${Date.now()}`;
    const worker = await Worker.create({
      connection: nativeConnection,
      namespace,
      taskQueue,
      dataConverter,
      workflowBundle: await buildWorkflowBundle(),
      activities: { ...world.activities(), ...createPreviousRunActivities(client) },
    });
    const encounterId = '2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e';
    const workflowId = encounterWorkflowId(encounterId);
    const save = (revision: number) =>
      client.workflow.signalWithStart('encounterWorkflow', {
        workflowId,
        taskQueue,
        args: [{ encounterId, hostingPracticeOds: 'Y90001' }],
        signal: consultationSavedSignal,
        signalArgs: [snapshotAt(Date.now(), revision, { encounterId })],
      });
    try {
      await worker.runUntil(async () => {
        const first = await save(1);
        await until(async () => (world.sends.length === 1 ? true : undefined));
        // Idle for the retention window: the run completes with its status as the result.
        const firstResult = await client.workflow.getHandle(workflowId, first.signaledRunId).result();
        expect(firstResult).toMatchObject({ reportVersion: 1, latestRevision: 1 });

        // A re-delivered old revision starts a run that knows it is stale; a newer save is reported as version 2.
        const second = await save(1);
        await until(async () => {
          const status = await client.workflow.getHandle(workflowId, second.signaledRunId).query(statusQuery);
          return status.latestRevision === 1 && status.reportVersion === 1 ? status : undefined;
        });
        await save(2);
        await until(async () => (world.sends.length === 2 ? true : undefined));
        expect(second.signaledRunId).not.toBe(first.signaledRunId);
        expect(world.sends[1]).toMatchObject({ version: 2, previousDocumentIdentifier: `doc-${encounterId}-1-${world.sends[0]?.firstBuiltAt}` });
        expect(world.sends[1]?.snapshot.revision).toBe(2);
        await client.workflow.getHandle(workflowId).terminate('test finished');
      });
    } finally {
      await nativeConnection.close();
      await client.connection.close();
    }
  });
});
