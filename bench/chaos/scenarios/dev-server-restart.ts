/**
 * Scenario 2: the Temporal dev server on a file database is stopped and started again on the same port, at random
 * moments while consultations wait in their quiet period and are being sent. The worker process stays (its
 * supervisor restarts it if it gives up on the server); saves that fail meanwhile are retried like a hook would.
 */
import type { ScenarioResult } from '../scenario-run';
import { atSeededMoments, runChaosScenario, type ScenarioOptions, type ScenarioShape } from '../scenario';

export interface DevServerRestartShape extends ScenarioShape {
  restarts: number;
  /** Restarts begin at random within this window from the start. */
  restartWindowMs: number;
}

export const DEV_SERVER_RESTART_SHAPES: Record<'full' | 'quick', DevServerRestartShape> = {
  full: { consultations: 60, quietPeriod: '5s', submitSpreadMs: 30_000, restarts: 4, restartWindowMs: 60_000, timeoutMs: 10 * 60_000 },
  quick: { consultations: 20, quietPeriod: '5s', submitSpreadMs: 10_000, restarts: 2, restartWindowMs: 25_000, timeoutMs: 6 * 60_000 },
};

export function runDevServerRestart(options: ScenarioOptions, shape = DEV_SERVER_RESTART_SHAPES[options.quick ? 'quick' : 'full']): Promise<ScenarioResult> {
  return runChaosScenario('dev-server-restart', options, {
    shape,
    stack: { ownTemporal: true },
    async chaos(context) {
      const { stack, prng } = context;
      const restarts = await atSeededMoments(context, shape.restarts, shape.restartWindowMs, () => stack.restartTemporal(prng.int(500, 5_000)));
      const worker = stack.worker.stats();
      return `${restarts} dev server restarts; worker restarted ${worker.unexpectedExits} times by its supervisor`;
    },
  });
}
