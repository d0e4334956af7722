/**
 * Harness of the `fedreport encounters` tests: the dev server of this test run, a worker running the real encounter
 * workflow with scripted activities (RecordingWorld), and the CLI run in-process with its configuration in the
 * environment, exactly as an operator's shell would give it (FEDREPORT_TEMPORAL_*, FEDREPORT_CODEC_KEYS).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { NativeConnection, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { registerEncounterCommands } from '../../../client/cli/encounter-commands';
import type { CodecKeyring } from '../../../common/codec-keys';
import { buildDataConverter } from '../../../common/data-converter';
import { connectClient } from '../../../common/temporal-connection';
import { buildWorkflowBundle } from '../../../worker/bundle';
import { ENCOUNTER_TASK_QUEUE, encounterWorkflowId } from '../../../workflows/encounter-identity';
import { ENCOUNTER_WORKFLOW_TYPE, statusQuery, type EncounterStatus } from '../../../workflows/encounter-messages';
import { testKeyring } from '../api/support';
import { testTemporal } from '../../support/servers';
import { installTestRuntime } from '../../support/temporal';
import { DEFAULT_SETTINGS, RecordingWorld } from '../../workflow/support/recording-activities';
import { snapshotAt } from '../../workflow/support/snapshots';
import { runFedreportCli, type CliRun } from '../../support/cli';

const SECOND = 1_000;
const HOUR = 3_600 * SECOND;

export interface CliHarness {
  client: Client;
  keyring: CodecKeyring;
  world: RecordingWorld;
  workflowBundle: WorkflowBundleWithSourceMap;
  workDir: string;
  /**
   * A new practice no other test uses, so visibility filters on it see only this test's encounters. `fast`: a
   * one-second quiet period (its encounters send at once); `slow`: an hour (they stay waiting for the whole test).
   */
  practice(quietPeriod: 'fast' | 'slow'): string;
  /** `fedreport encounters <args>` in-process. */
  cli(...args: string[]): Promise<CliRun>;
  /** Writes a valid snapshot file of a new encounter of the practice, optionally changed; remembers the workflow. */
  snapshotFile(practice: string, change?: (input: any) => void): { file: string; encounterId: string };
  /**
   * Holds every send that starts from now on until `release` (or `close`): its encounter stays `sending`, as when
   * MESH is slow to answer.
   */
  holdSends(): { release(): void };
  /** Polls the workflow's status query until `done` holds. */
  statusWhen(encounterId: string, done: (status: EncounterStatus) => boolean): Promise<EncounterStatus>;
  /** Terminates every workflow the test started (`remember` adds one started another way), stops the worker. */
  close(): Promise<void>;
  remember(workflowId: string): void;
  /** Starts an encounter workflow on a task queue no worker polls: nothing will answer for it. */
  startUnserved(): Promise<{ encounterId: string; workflowId: string }>;
}

/** Polls until the assertion holds: workflow tasks and visibility updates happen asynchronously. */
export async function eventually<T>(assertion: () => Promise<T>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await assertion();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

function keyringEnv(keyring: CodecKeyring): string {
  return [...keyring.keys].map(([id, key]) => `${id}:${key.toString('base64')}`).join(',');
}

export async function startCliHarness(): Promise<CliHarness> {
  installTestRuntime();
  const savedEnv = { ...process.env };
  const keyring = testKeyring();
  for (const name of Object.keys(process.env))
    if (/^FEDREPORT_(TEMPORAL|CODEC|API)_/.test(name)) delete process.env[name];
  Object.assign(process.env, {
    FEDREPORT_TEMPORAL_ADDRESS: testTemporal().address,
    FEDREPORT_TEMPORAL_NAMESPACE: testTemporal().namespace,
    FEDREPORT_CODEC_KEYS: keyringEnv(keyring),
  });

  const world = new RecordingWorld(() => Promise.resolve(Date.now()));
  let releaseSends = (): void => undefined;

  const client = await connectClient({ keyring });
  const nativeConnection = await NativeConnection.connect({ address: testTemporal().address });
  // The bundle production workers run (failure converter baked in), so the exported histories are theirs.
  const workflowBundle = await buildWorkflowBundle();
  const worker = await Worker.create({
    connection: nativeConnection,
    namespace: testTemporal().namespace,
    taskQueue: ENCOUNTER_TASK_QUEUE,
    workflowBundle,
    activities: world.activities(),
    dataConverter: buildDataConverter(keyring),
  });
  const workerRun = worker.run();
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fedreport-encounters-cli-'));
  const started = new Set<string>();

  return {
    client,
    keyring,
    world,
    workflowBundle,
    workDir,
    practice(quietPeriod) {
      const ods = `T${crypto.randomInt(1e8).toString().padStart(8, '0')}`;
      world.settingsByPractice.set(ods, {
        ...DEFAULT_SETTINGS,
        quietPeriodMs: quietPeriod === 'fast' ? SECOND : HOUR,
      });
      return ods;
    },
    cli: (...args) => runFedreportCli(registerEncounterCommands, ['encounters', ...args]),
    snapshotFile(practice, change) {
      const encounterId = crypto.randomUUID();
      const input: any = structuredClone(snapshotAt(Date.now(), 1, { encounterId, hostingOds: practice }));
      change?.(input);
      const file = path.join(workDir, `${encounterId}.json`);
      fs.writeFileSync(file, JSON.stringify(input));
      started.add(encounterWorkflowId(encounterId));
      return { file, encounterId };
    },
    statusWhen: (encounterId, done) =>
      eventually(async () => {
        const status = await client.workflow.getHandle(encounterWorkflowId(encounterId)).query(statusQuery);
        if (!done(status)) throw new Error(`status not reached yet: ${status.state}`);
        return status;
      }),
    holdSends() {
      releaseSends();
      releaseSends = world.holdSends();
      return { release: () => releaseSends() };
    },
    async startUnserved() {
      const encounterId = crypto.randomUUID();
      const workflowId = encounterWorkflowId(encounterId);
      started.add(workflowId);
      // A task queue no worker polls: the workflow exists, but nothing can answer for it.
      await client.workflow.start(ENCOUNTER_WORKFLOW_TYPE, {
        workflowId,
        taskQueue: `no-worker-${encounterId}`,
        args: [{ encounterId, hostingPracticeOds: 'Y90001' }],
      });
      return { encounterId, workflowId };
    },
    remember: (workflowId) => void started.add(workflowId),
    async close() {
      releaseSends();
      await Promise.all(
        [...started].map((workflowId) =>
          client.workflow
            .getHandle(workflowId)
            .terminate('fedreport encounters CLI test cleanup')
            .catch(() => undefined),
        ),
      );
      worker.shutdown();
      await workerRun;
      await nativeConnection.close();
      await client.connection.close();
      fs.rmSync(workDir, { recursive: true, force: true });
      for (const name of Object.keys(process.env)) if (!(name in savedEnv)) delete process.env[name];
      Object.assign(process.env, savedEnv);
    },
  };
}
