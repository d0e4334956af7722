/**
 * Scenario 4, failover on the production topology: the Temporal server on PostgreSQL, two worker processes sharing
 * the task queue and two API processes taking the saves in turn. At seeded moments one of the two workers is killed
 * with SIGKILL (and restarted after a pause), PostgreSQL is restarted once and the Temporal server once.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTemporalOnPostgres } from '../../../tooling/temporal-on-postgres';
import type { ScenarioResult } from '../scenario-run';
import {
  atSeededMoments,
  runChaosScenario,
  sleep,
  type ScenarioOptions,
  type ScenarioShape,
} from '../scenario';
import type { ChaosContext } from '../scenario-run';
import type { TemporalOnPostgres } from '../../../tooling/temporal-on-postgres';

export interface ClusterFailoverShape extends ScenarioShape {
  workerKills: number;
  postgresRestarts: number;
  temporalRestarts: number;
  /** Every fault happens at random within this window from the start. */
  faultWindowMs: number;
}

export const CLUSTER_FAILOVER_SHAPES: Record<'full' | 'quick', ClusterFailoverShape> = {
  full: {
    consultations: 200,
    quietPeriod: '3s',
    submitSpreadMs: 30_000,
    workerKills: 6,
    postgresRestarts: 1,
    temporalRestarts: 1,
    faultWindowMs: 60_000,
    timeoutMs: 15 * 60_000,
  },
  quick: {
    consultations: 30,
    quietPeriod: '3s',
    submitSpreadMs: 10_000,
    workerKills: 1,
    postgresRestarts: 1,
    temporalRestarts: 0,
    // Within the saves' spread: the run settles a few seconds after the last save, and a fault drawn later than that
    // never happens (a CI run settled in 17 s and met none).
    faultWindowMs: 10_000,
    timeoutMs: 6 * 60_000,
  },
};

type Fault = 'worker' | 'postgres' | 'temporal';

export async function runClusterFailover(
  options: ScenarioOptions,
  shape = CLUSTER_FAILOVER_SHAPES[options.quick ? 'quick' : 'full'],
): Promise<ScenarioResult> {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fedreport-cluster-'));
  const cluster = await startTemporalOnPostgres({ stateDir });
  try {
    const temporal = { address: cluster.temporal.address, namespace: cluster.temporal.namespace };
    return await runChaosScenario(
      'cluster',
      { ...options, temporal },
      {
        shape,
        stack: { workers: 2, apis: 2, databaseUrl: cluster.archiveDatabaseUrl },
        chaos: (context) => injectFaults(context, cluster, shape),
      },
    );
  } finally {
    await cluster.stop();
    fs.rmSync(stateDir, { recursive: true, force: true });
  }
}

/** The faults in a seeded order at seeded moments; a killed worker comes back after a seeded pause. */
async function injectFaults(
  context: ChaosContext,
  cluster: TemporalOnPostgres,
  shape: ClusterFailoverShape,
): Promise<string> {
  const { stack, prng } = context;
  const faults: Fault[] = [
    ...Array<Fault>(shape.workerKills).fill('worker'),
    ...Array<Fault>(shape.postgresRestarts).fill('postgres'),
    ...Array<Fault>(shape.temporalRestarts).fill('temporal'),
  ];
  const order = faults.map((fault) => ({ fault, key: prng.next() })).sort((a, b) => a.key - b.key);
  const done: Record<Fault, number> = { worker: 0, postgres: 0, temporal: 0 };
  let next = 0;
  await atSeededMoments(context, order.length, shape.faultWindowMs, async () => {
    const { fault } = order[next++]!;
    if (fault === 'worker') {
      const worker = prng.pick(stack.workers);
      await worker.kill();
      await sleep(prng.int(200, 3_000));
      worker.start();
    } else if (fault === 'postgres') {
      await cluster.postgres.restart(prng.int(500, 3_000));
    } else {
      await cluster.temporal.restart(prng.int(500, 3_000));
    }
    done[fault] += 1;
  });
  const restarts = stack.workers.reduce((sum, w) => sum + w.stats().unexpectedExits, 0);
  return `${done.worker} × kill -9 of one of 2 workers, ${done.postgres} PostgreSQL and ${done.temporal} Temporal server restarts; workers restarted ${restarts} times by their supervisor`;
}
