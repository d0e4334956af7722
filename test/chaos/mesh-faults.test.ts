/**
 * The unknown-outcome path end to end: the proxy lets a report's first POST reach mesh-sandbox, then resets the
 * connection instead of relaying the 202. The workflow must not resend blindly: it waits its reconciliation minute,
 * finds the message through MESH tracking by local id, and the recipient holds it exactly once. The full fault mix
 * (refused, resets, 5xx, 429, stalls, PDS faults) is `npm run chaos -- mesh-faults`.
 */
import { resultTable } from '../../bench/chaos/result-table';
import type { ScenarioResult } from '../../bench/chaos/scenario-run';
import { runMeshFaults } from '../../bench/chaos/scenarios/mesh-faults';
import { jestScenarioOptions } from './support/chaos-servers';

let result: ScenarioResult;
const options = jestScenarioOptions();

beforeAll(async () => {
  result = await runMeshFaults(options, {
    consultations: 6,
    quietPeriod: '2s',
    submitSpreadMs: 1_000,
    timeoutMs: 120_000,
    faults: { sends: [{ fault: { kind: 'reset-after-body' }, times: 1 }], trackingResets: 0, refusedMs: 0, pds: [] },
  });
  process.stdout.write(`${resultTable('mesh-faults (CI)', options.seed, result)}\n`);
}, 150_000);

it('meets the reset after the body once and settles in time', () => {
  expect(result.chaos).toContain('reset-after-body×1');
  expect(result.settledInTime).toBe(true);
});

it('reconciles instead of resending: every required report in the recipient mailbox exactly once', () => {
  const { counts } = result.verdict;
  expect({ lost: counts.lost, duplicate: counts.duplicate, stuck: counts.stuck, alerted: counts.alerted }).toEqual({ lost: 0, duplicate: 0, stuck: 0, alerted: 0 });
  expect(result.verdict.recipientMessages).toBe(counts.delivered);
  // The reset send was counted once: tracking found it, so the workflow never posted it again.
  expect(result.verdict.judgements.every((j) => j.sendsSoFar === j.reportVersion)).toBe(true);
  expect(result.verdict.simulatorDuplicates).toBe(0);
  // Each delivered report archived exactly once, completed with the MESH id it was delivered under.
  expect(result.verdict.archive).toMatchObject({ archivedOnce: counts.delivered, missing: 0, mismatched: 0 });
});
