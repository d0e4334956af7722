/**
 * One time-skipping test server and worker per test file, and scenarios on it: each scenario is one encounter
 * workflow with its own scripted outside world (RecordingWorld). Hours of quiet periods pass in seconds.
 */
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { buildDataConverter } from '../../../common/data-converter';
import { buildWorkflowBundle } from '../../../worker/bundle';
import { encounterWorkflowId } from '../../../workflows/encounter-identity';
import { consultationSavedSignal, statusQuery, type EncounterStatus } from '../../../workflows/encounter-messages';
import type { encounterWorkflow } from '../../../workflows/encounter-workflow';
import { TEST_KEYRING } from '../../support/codec';
import { createTimeSkippingEnv } from '../../support/temporal';
import { RecordingWorld, routedActivities } from './recording-activities';
import { snapshotAt } from './snapshots';

export interface Scenario {
  world: RecordingWorld;
  encounterId: string;
  handle: WorkflowHandle<typeof encounterWorkflow>;
  save(revision: number, savedAtMs?: number, hostingOds?: string): Promise<void>;
  status(): Promise<EncounterStatus>;
  now(): Promise<number>;
}

export interface EncounterScenarios {
  env: () => TestWorkflowEnvironment;
  scenario: (body: (s: Scenario) => Promise<void>, configure?: (world: RecordingWorld) => void) => Promise<void>;
}

/** Registers the file's beforeAll/afterAll; scenarios get encounter ids unique within the file. */
export function useEncounterScenarios(taskQueue: string): EncounterScenarios {
  let env: TestWorkflowEnvironment;
  let worker: Worker;
  let workerRunning: Promise<void>;
  let sequence = 0;
  const worlds = new Map<string, RecordingWorld>();

  beforeAll(async () => {
    let workflowBundle: WorkflowBundleWithSourceMap;
    // Payloads are encrypted as in production, so the recorded histories carry no readable patient data either.
    const dataConverter = buildDataConverter(TEST_KEYRING);
    [env, workflowBundle] = await Promise.all([createTimeSkippingEnv({ dataConverter }), buildWorkflowBundle()]);
    worker = await Worker.create({
      connection: env.nativeConnection,
      dataConverter,
      taskQueue,
      workflowBundle,
      activities: routedActivities((workflowId) => {
        const world = worlds.get(workflowId);
        if (!world) throw new Error(`no scenario for ${workflowId}`);
        return world;
      }),
    });
    workerRunning = worker.run();
  });
  afterAll(async () => {
    worker?.shutdown();
    await workerRunning;
    await env?.teardown();
  });

  async function scenario(body: (s: Scenario) => Promise<void>, configure?: (world: RecordingWorld) => void): Promise<void> {
    const world = new RecordingWorld(() => env.currentTimeMs());
    configure?.(world);
    const encounterId = `00000000-0000-4000-8000-${String(++sequence).padStart(12, '0')}`;
    worlds.set(encounterWorkflowId(encounterId), world);
    const handle = env.client.workflow.getHandle<typeof encounterWorkflow>(encounterWorkflowId(encounterId));
    await body({
      world,
      encounterId,
      handle,
      now: () => env.currentTimeMs(),
      async save(revision, savedAtMs, hostingOds = 'Y90001') {
        const snapshot = snapshotAt(savedAtMs ?? (await env.currentTimeMs()), revision, { encounterId, hostingOds });
        await env.client.workflow.signalWithStart('encounterWorkflow', {
          workflowId: encounterWorkflowId(encounterId),
          taskQueue,
          args: [{ encounterId, hostingPracticeOds: hostingOds }],
          signal: consultationSavedSignal,
          signalArgs: [snapshot],
        });
      },
      status: () => handle.query(statusQuery),
    });
  }

  return { env: () => env, scenario };
}

/** Polls (real time) until the assertion holds: workflow tasks run asynchronously after time is skipped. */
export async function eventually(assertion: () => Promise<void> | void, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await assertion();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
