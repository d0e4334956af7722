/**
 * Scenario 4: the archive's PostgreSQL is stopped (fast shutdown, sessions ended) and started again on the same port
 * and data, at random moments while consultations are saved, wait their quiet period and are sent. A send whose copy
 * cannot be written fails before anything leaves and is retried; the verdict adds the archive check: every delivered
 * report archived exactly once, completed with the MESH message id it was delivered under.
 */
import type { ScenarioResult } from '../scenario-run';
import { atSeededMoments, runChaosScenario, type ScenarioOptions, type ScenarioShape } from '../scenario';

export interface ArchiveRestartShape extends ScenarioShape {
  restarts: number;
  /** Restarts begin at random within this window from the start. */
  restartWindowMs: number;
}

export const ARCHIVE_RESTART_SHAPES: Record<'full' | 'quick', ArchiveRestartShape> = {
  full: { consultations: 100, quietPeriod: '5s', submitSpreadMs: 30_000, restarts: 5, restartWindowMs: 60_000, timeoutMs: 10 * 60_000 },
  quick: { consultations: 20, quietPeriod: '3s', submitSpreadMs: 8_000, restarts: 3, restartWindowMs: 20_000, timeoutMs: 4 * 60_000 },
};

export function runArchiveRestart(options: ScenarioOptions, shape = ARCHIVE_RESTART_SHAPES[options.quick ? 'quick' : 'full']): Promise<ScenarioResult> {
  return runChaosScenario('archive-restart', options, {
    shape,
    async chaos(context) {
      const { stack, prng } = context;
      const restarts = await atSeededMoments(context, shape.restarts, shape.restartWindowMs, () => stack.restartDatabase(prng.int(500, 4_000)));
      const worker = stack.worker.stats();
      return `${restarts} PostgreSQL restarts; worker restarted ${worker.unexpectedExits} times by its supervisor`;
    },
  });
}
