/**
 * CI-sized fuzz of the clinical-system API: 1,000 generated malformed or hostile requests against the real API and
 * the dev server of this test run (the full 10,000: `npm run bench -- fuzz`). What is generated and checked:
 * docs/performance.md. A failure prints its seed; replay it with FEDREPORT_FUZZ_SEED=<seed>.
 */
import { testTemporal } from '../support/servers';
import { formatFuzzReport, groupFindings } from './support/api-fuzz/fuzz-report';
import { runApiFuzz, type FuzzReport } from './support/api-fuzz/fuzz-run';
import { startFuzzTarget, type FuzzTarget } from './support/api-fuzz/fuzz-target';
import { sharedTestArchiveUrl } from '../support/databases';
import { fuzzSeed } from './support/prng';

let target: FuzzTarget;
let report: FuzzReport;

beforeAll(async () => {
  target = await startFuzzTarget(testTemporal(), sharedTestArchiveUrl());
  report = await runApiFuzz(target, {
    requests: 1_000,
    batchSize: 250,
    concurrency: 8,
    seed: fuzzSeed(),
    timeBudgetMs: 60_000,
  });
  console.log(formatFuzzReport(report));
}, 90_000);

afterAll(async () => {
  await target.close();
});

it('sends every request in the time budget, valid ones and every class of rejection among them', () => {
  expect(report.completed).toBe(true);
  expect(report.validRequests).toBeGreaterThan(0);
  // A generator that drifted into producing one kind of request would pass everything below without testing much.
  expect(Object.keys(report.statuses)).toEqual(
    expect.arrayContaining(['202', '400', '401', '404', '413', '415', '422']),
  );
});

it('never crashes the API, answers no request with a 5xx, and logs no error, patient data or token', () => {
  expect(report.crashes).toBe(0);
  expect(report.serverErrors).toBe(0);
  expect(report.errorLogLines).toBe(0);
  expect(report.sensitiveLogLines).toBe(0);
});

it('starts or signals no workflow for invalid input', () => {
  expect(report.workflowsStartedForInvalidInput).toBe(0);
  // The controls' workflows are seen: the visibility count that found none for invalid input does count.
  expect(report.workflowsStarted).toBeGreaterThan(0);
});

it('answers each request as the contract says: 202 for valid input, a named field and reason for each rejection', () => {
  expect(groupFindings(report.findings)).toEqual([]);
});
