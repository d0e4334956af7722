/**
 * CI-sized archive restart: the archive's PostgreSQL is stopped and started again twice while 12 consultations are
 * saved and sent. A send whose copy cannot be written fails before anything leaves and is retried, so every required
 * report reaches its recipient exactly once and each delivered report has exactly one archived copy, completed with
 * the MESH message id it was delivered under. The 100-consultation run is `npm run chaos -- archive-restart`.
 */
import { resultTable } from '../../bench/chaos/result-table';
import type { ScenarioResult } from '../../bench/chaos/scenario-run';
import { runArchiveRestart } from '../../bench/chaos/scenarios/archive-restart';
import { jestScenarioOptions } from './support/chaos-servers';

let result: ScenarioResult;
const options = jestScenarioOptions();

beforeAll(async () => {
  result = await runArchiveRestart(options, {
    consultations: 12,
    quietPeriod: '3s',
    submitSpreadMs: 4_000,
    restarts: 2,
    restartWindowMs: 10_000,
    timeoutMs: 120_000,
  });
  process.stdout.write(`${resultTable('archive-restart (CI)', options.seed, result)}\n`);
}, 180_000);

it('restarts PostgreSQL twice and settles every encounter in time', () => {
  expect(result.chaos).toMatch(/^2 PostgreSQL restarts/);
  expect(result.settledInTime).toBe(true);
});

it('delivers every required report exactly once and archives each delivered report exactly once', () => {
  const { counts, archive } = result.verdict;
  expect({ lost: counts.lost, duplicate: counts.duplicate, stuck: counts.stuck }).toEqual({ lost: 0, duplicate: 0, stuck: 0 });
  expect(result.verdict.recipientMessages).toBe(counts.delivered);
  expect(archive).toEqual({ delivered: counts.delivered, archivedOnce: counts.delivered, missing: 0, mismatched: 0, passed: true });
  expect(result.evidence).toEqual([]);
});
