/**
 * CI-sized failover on the production topology (`npm run chaos -- cluster --quick`): the Temporal server on
 * PostgreSQL, two workers and two APIs; 30 consultations saved through both APIs while one worker is killed with
 * SIGKILL and PostgreSQL is restarted once; every encounter must settle with each required report delivered exactly
 * once. `npm test`'s bootstrap builds the server beforehand; the long timeout covers a run without it (cold build).
 */
import { resultTable } from '../../bench/chaos/result-table';
import type { ScenarioResult } from '../../bench/chaos/scenario-run';
import { CLUSTER_FAILOVER_SHAPES, runClusterFailover } from '../../bench/chaos/scenarios/cluster';
import { jestScenarioOptions } from './support/chaos-servers';

let result: ScenarioResult;
const options = jestScenarioOptions();

beforeAll(async () => {
  result = await runClusterFailover(options, { ...CLUSTER_FAILOVER_SHAPES.quick, timeoutMs: 150_000 });
  process.stdout.write(`${resultTable('cluster (CI)', options.seed, result)}\n`);
}, 12 * 60_000);

it('kills one of the two workers and restarts PostgreSQL, and settles every encounter in time', () => {
  expect(result.chaos).toMatch(/^1 × kill -9 of one of 2 workers, 1 PostgreSQL/);
  expect(result.settledInTime).toBe(true);
});

it('delivers every required report exactly once, sends nothing that is not required, leaves nothing stuck', () => {
  const { counts } = result.verdict;
  expect({
    lost: counts.lost,
    duplicate: counts.duplicate,
    stuck: counts.stuck,
    alerted: counts.alerted,
  }).toEqual({ lost: 0, duplicate: 0, stuck: 0, alerted: 0 });
  expect(counts.delivered + counts['not-required']).toBe(result.consultations);
  expect(result.verdict.recipientMessages).toBe(counts.delivered);
  expect(result.verdict.simulatorDuplicates).toBe(0);
  expect(result.evidence).toEqual([]);
});
