/**
 * `npm run chaos -- [scenario...] [--quick] [--record]`: fault-injection scenarios against the real stack, each
 * printing a table and judged by the invariant "every required report delivered exactly once per version; nothing
 * stuck without an alert", read from the recipient side. Exits non-zero on any loss, duplicate or stuck encounter.
 * FEDREPORT_CHAOS_SEED replays a run (the seed is printed); --record adds each result to docs/performance.md.
 * See docs/chaos.md.
 */
import { fuzzSeed } from '../test/chaos/support/prng';
import { recordResult } from './results';
import { resultRow, resultTable } from './chaos/result-table';
import type { ScenarioOptions } from './chaos/scenario';
import type { ScenarioResult } from './chaos/scenario-run';
import { runArchiveRestart } from './chaos/scenarios/archive-restart';
import { runClusterFailover } from './chaos/scenarios/cluster';
import { runDevServerRestart } from './chaos/scenarios/dev-server-restart';
import { runMeshFaults } from './chaos/scenarios/mesh-faults';
import { runWorkerKill } from './chaos/scenarios/worker-kill';
import { runCommand } from '../common/run-main';

const SCENARIOS: Record<string, (options: ScenarioOptions) => Promise<ScenarioResult>> = {
  'worker-kill': (options) => runWorkerKill(options),
  'dev-server-restart': (options) => runDevServerRestart(options),
  'mesh-faults': (options) => runMeshFaults(options),
  'archive-restart': (options) => runArchiveRestart(options),
  cluster: (options) => runClusterFailover(options),
};

const SEED_ENV = 'FEDREPORT_CHAOS_SEED';
const FLAGS = ['--quick', '--record'];

async function main(argv: string[]): Promise<number> {
  const unknown = argv.filter((a) => !FLAGS.includes(a) && !(a in SCENARIOS));
  if (unknown.length > 0) {
    console.error(`chaos: unknown ${unknown.join(', ')}\nusage: npm run chaos -- [${Object.keys(SCENARIOS).join('|')}...] [--quick] [--record]`);
    return 2;
  }
  const named = argv.filter((a) => a in SCENARIOS);
  const quick = argv.includes('--quick');
  const seed = fuzzSeed({ FEDREPORT_FUZZ_SEED: process.env[SEED_ENV] });
  console.log(`chaos: seed ${seed} (replay with ${SEED_ENV}=${seed})${quick ? ', quick' : ''}`);
  let failed = 0;
  for (const name of named.length > 0 ? named : Object.keys(SCENARIOS)) {
    const result = await SCENARIOS[name]!({ quick, seed, log: (line) => console.log(line) });
    console.log(`\n${resultTable(name, seed, result)}\n`);
    if (argv.includes('--record')) recordResult(`chaos ${name}${quick ? ' --quick' : ''}`, resultRow(seed, result));
    if (!result.verdict.passed) failed += 1;
  }
  return failed === 0 ? 0 : 1;
}

runCommand(() => main(process.argv.slice(2)));
