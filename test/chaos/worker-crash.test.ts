/**
 * CI-sized worker crash: 30 consultations saved while the worker process is killed with SIGKILL and restarted four
 * times, then every encounter must settle with each required report in the recipient's mailbox exactly once. The
 * kills fall in the quiet period (saves, workflow tasks, the start-up activity), where a crashed activity costs at
 * most its 30 s timeout; kills during sends (2-minute timeout) are the full run's: `npm run chaos -- worker-kill`.
 */
import { resultTable } from '../../bench/chaos/result-table';
import type { ScenarioResult } from '../../bench/chaos/scenario-run';
import { runWorkerKill } from '../../bench/chaos/scenarios/worker-kill';
import { jestScenarioOptions } from './support/chaos-servers';

let result: ScenarioResult;
const options = jestScenarioOptions();

beforeAll(async () => {
  result = await runWorkerKill(options, {
    consultations: 30,
    quietPeriod: '20s',
    submitSpreadMs: 8_000,
    kills: 4,
    killWindowMs: 16_000,
    timeoutMs: 80_000,
  });
  process.stdout.write(`${resultTable('worker-kill (CI)', options.seed, result)}\n`);
}, 110_000);

it('kills the worker and settles every encounter in time', () => {
  expect(result.chaos).toMatch(/^4 × kill -9/);
  expect(result.settledInTime).toBe(true);
});

it('delivers every required report exactly once, sends nothing that is not required, leaves nothing stuck', () => {
  const { counts } = result.verdict;
  expect({ lost: counts.lost, duplicate: counts.duplicate, stuck: counts.stuck, alerted: counts.alerted }).toEqual({ lost: 0, duplicate: 0, stuck: 0, alerted: 0 });
  expect(counts.delivered + counts['not-required']).toBe(result.consultations);
  expect(result.verdict.recipientMessages).toBe(counts.delivered);
  expect(result.verdict.simulatorDuplicates).toBe(0);
  // Each delivered report archived exactly once, completed with the MESH id it was delivered under.
  expect(result.verdict.archive).toMatchObject({ archivedOnce: counts.delivered, missing: 0, mismatched: 0 });
  expect(result.evidence).toEqual([]);
});
