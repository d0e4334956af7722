/**
 * Chaos scenarios inside jest run on the servers of the test run (dev server, mesh-sandbox) and print their table;
 * the scenario still starts its own worker process, PDS double, fault proxy and simulator.
 */
import type { ScenarioOptions } from '../../../bench/chaos/scenario';
import { testMeshSandbox } from '../../support/mesh';
import { testTemporal } from '../../support/servers';
import { fuzzSeed } from './prng';

export function jestScenarioOptions(): ScenarioOptions {
  return {
    quick: true,
    // The same replay variable as the fuzz tests: a failing run prints its seed.
    seed: fuzzSeed(),
    temporal: testTemporal(),
    mesh: testMeshSandbox(),
    log: (line) => process.stdout.write(`${line}\n`),
  };
}
