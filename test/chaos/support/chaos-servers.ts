/**
 * Chaos scenarios inside jest start their own dev server and mesh-sandbox (a few seconds) rather than sharing the
 * run's: a killed worker's restarts, its inbox pollers and its codec key must never meet another test file's, and
 * the invariant reads every message in the recipients' mailboxes.
 */
import type { ScenarioOptions } from '../../../bench/chaos/scenario';
import { fuzzSeed } from './prng';

export function jestScenarioOptions(): ScenarioOptions {
  return {
    quick: true,
    // The same replay variable as the fuzz tests: a failing run prints its seed.
    seed: fuzzSeed(),
    log: (line) => process.stdout.write(`${line}\n`),
  };
}
