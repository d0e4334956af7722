/** `npm run bench -- storm --quick` in CI: 50 saves of one consultation inside its quiet period → one report. */
import { runStormBench, type StormResult } from '../../bench/storm';

let result: StormResult;
beforeAll(async () => {
  result = await runStormBench({ quick: true });
}, 5 * 60_000);

it('sends exactly one report, of the latest revision', () => {
  expect({ reports: result.reports, version: result.reportVersion, revision: result.latestRevision }).toEqual({ reports: 1, version: 1, revision: 50 });
});

it('counts the history events every run of the storm took', () => {
  expect(result.eventsPerRun.length).toBeGreaterThanOrEqual(1);
  expect(result.eventsPerRun.reduce((sum, n) => sum + n, 0)).toBeGreaterThan(result.baselineEvents);
});
