/**
 * What a chaos scenario is to the runner and the jest tests: a name, and a function that starts its own stack (or
 * uses the one the jest run shares), runs, always stops what it started, and returns its result.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Prng } from '../../test/chaos/support/prng';
import type { MeshSandboxLocation } from '../../tooling/mesh-sandbox';
import type { Client } from '@temporalio/client';
import { encounterWorkflowId } from '../../workflows/encounter-identity';
import { meshInboxWorkflowId } from '../../workflows/mesh-inbox-workflow';
import { exampleFederationMailboxes } from '../../tooling/example-federation';
import { startChaosStack, type ChaosStackOptions, type TemporalLocation } from './chaos-stack';
import { planConsultations, recipientMailboxesOf } from './consultations';
import { runScenario, type ChaosContext, type ScenarioResult } from './scenario-run';

export interface ScenarioOptions {
  quick: boolean;
  seed: number;
  /** Servers to use instead of starting them (the jest run's); a scenario that must restart Temporal ignores this. */
  temporal?: TemporalLocation;
  mesh?: MeshSandboxLocation & { sharedKey: string };
  log(line: string): void;
}

/** The sizes and timings a scenario runs with; the jest tests pass CI-sized ones. */
export interface ScenarioShape {
  consultations: number;
  quietPeriod: string;
  submitSpreadMs: number;
  timeoutMs: number;
}

export interface ScenarioSetup {
  shape: ScenarioShape;
  stack?: Pick<ChaosStackOptions, 'meshThroughFaultProxy' | 'workerEnv' | 'workers' | 'apis' | 'databaseUrl'> & { ownTemporal?: boolean };
  chaos: (context: ChaosContext) => Promise<string>;
}

/** Plans the consultations, starts the stack in a fresh temporary directory, runs, and stops everything. */
export async function runChaosScenario(name: string, options: ScenarioOptions, setup: ScenarioSetup): Promise<ScenarioResult> {
  const prng = new Prng(options.seed);
  const plan = planConsultations(setup.shape.consultations, prng);
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), `fedreport-chaos-${name}-`));
  options.log(`${name}: seed ${options.seed}, ${plan.length} consultations, logs in ${stateDir}`);
  const stack = await startChaosStack({
    stateDir,
    quietPeriod: setup.shape.quietPeriod,
    recipientMailboxes: recipientMailboxesOf(plan),
    temporal: setup.stack?.ownTemporal ? undefined : options.temporal,
    mesh: options.mesh,
    meshThroughFaultProxy: setup.stack?.meshThroughFaultProxy,
    workerEnv: setup.stack?.workerEnv,
    workers: setup.stack?.workers,
    apis: setup.stack?.apis,
    databaseUrl: setup.stack?.databaseUrl,
  });
  try {
    return await runScenario({
      stack,
      plan,
      prng,
      submitSpreadMs: setup.shape.submitSpreadMs,
      timeoutMs: setup.shape.timeoutMs,
      chaos: setup.chaos,
      log: (line) => options.log(`${name}: ${line}`),
    });
  } finally {
    // On a shared dev server (jest) nothing of the scenario may keep running: stop the worker, end its workflows.
    await Promise.all(stack.workers.map((worker) => worker.close()));
    await terminateScenarioWorkflows(stack.client, plan.map((c) => c.encounterId));
    await stack.close();
  }
}

async function terminateScenarioWorkflows(client: Client, encounterIds: string[]): Promise<void> {
  // The worker polls every mailbox of the federation file, so every poller goes.
  const ids = [...encounterIds.map(encounterWorkflowId), ...exampleFederationMailboxes().map(meshInboxWorkflowId)];
  await Promise.all(ids.map((id) => client.workflow.getHandle(id).terminate('chaos scenario finished').catch(() => undefined)));
}

/**
 * Runs `act` `count` times, at seeded random moments within `windowMs` of now, in time order; stops early once the
 * scenario is no longer active (everything settled). Returns how many times it acted.
 */
export async function atSeededMoments(
  context: Pick<ChaosContext, 'prng' | 'active'>,
  count: number,
  windowMs: number,
  act: () => Promise<void>,
): Promise<number> {
  const moments = Array.from({ length: count }, () => context.prng.int(0, windowMs)).sort((a, b) => a - b);
  const started = Date.now();
  let acted = 0;
  for (const moment of moments) {
    await sleep(Math.max(0, started + moment - Date.now()));
    if (!context.active()) break;
    await act();
    acted += 1;
  }
  return acted;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
