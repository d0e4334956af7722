/**
 * Scenario 1: kill -9 the worker process at random moments (seeded) while consultations are saved, wait in their
 * quiet period and are sent, restart it after a random pause, several times, then let everything settle.
 */
import type { ScenarioResult } from '../scenario-run';
import { atSeededMoments, runChaosScenario, sleep, type ScenarioOptions, type ScenarioShape } from '../scenario';

export interface WorkerKillShape extends ScenarioShape {
  kills: number;
  /** Kills happen at random within this window from the start (then the worker is left running). */
  killWindowMs: number;
}

/**
 * A worker killed during an activity leaves it to Temporal's start-to-close timeout (2 minutes for PDS and MESH
 * calls, no heartbeat), so the timeout allows for a few of those in a row.
 */
export const WORKER_KILL_SHAPES: Record<'full' | 'quick', WorkerKillShape> = {
  full: { consultations: 200, quietPeriod: '3s', submitSpreadMs: 30_000, kills: 8, killWindowMs: 60_000, timeoutMs: 12 * 60_000 },
  quick: { consultations: 30, quietPeriod: '3s', submitSpreadMs: 10_000, kills: 4, killWindowMs: 25_000, timeoutMs: 6 * 60_000 },
};

export function runWorkerKill(options: ScenarioOptions, shape = WORKER_KILL_SHAPES[options.quick ? 'quick' : 'full']): Promise<ScenarioResult> {
  return runChaosScenario('worker-kill', options, {
    shape,
    async chaos(context) {
      const { stack, prng } = context;
      const kills = await atSeededMoments(context, shape.kills, shape.killWindowMs, async () => {
        await stack.worker.kill();
        await sleep(prng.int(200, 3_000));
        stack.worker.start();
      });
      return `${kills} × kill -9 of the worker within ${shape.killWindowMs / 1000} s`;
    },
  });
}
