/**
 * `npm run bench -- scale --quick` in CI: 1,000 consultations waiting in their quiet period at once on one worker
 * process, saved and falling due at 25/s. Memory and timer lateness have wide margins at this size, so the targets
 * themselves are checked.
 */
import { runScaleBench, type ScaleResult } from '../../bench/scale';

let result: ScaleResult;
beforeAll(async () => {
  result = await runScaleBench({ quick: true });
}, 12 * 60_000);

it('has every consultation waiting before the first is due, and every timer fired', () => {
  expect(result.allWaitingAtOnce).toBe(true);
  expect(result.latenessMs.sampled).toBe(1_000);
});

it('keeps the worker under 1 GiB and fires the timers on time (p99 ≤ 2 s)', () => {
  expect(result.waitingRssBytes).toBeLessThanOrEqual(2 ** 30);
  expect(result.latenessMs.p99).toBeLessThanOrEqual(2_000);
  expect(result.latenessMs.p50).toBeGreaterThanOrEqual(0);
});

it('measures the database each consultation costs', () => {
  expect(result.databaseBytesPerConsultation).toBeGreaterThan(0);
});
