/**
 * `npm run bench -- receive --quick` in CI: 50 consultations answered by the simulator (the send path), 50 Send
 * Document messages waiting in a practice mailbox received by fedreport, then 50 consultations fedreport to fedreport. The rates depend on how busy the machine is and are
 * recorded by the bench command; what must hold on any machine is checked here.
 */
import { runReceiveBench, type ReceiveResult } from '../../bench/receive';

let result: ReceiveResult;
beforeAll(async () => {
  result = await runReceiveBench({ quick: true });
}, 10 * 60_000);

it('files every message received and answers each exactly twice (20013, 30001)', () => {
  expect({ filed: result.filed, answers: result.answers }).toEqual({ filed: 50, answers: 100 });
});

it('measures the receive path and the send path in the same run', () => {
  expect(result.receivedPerSecond).toBeGreaterThan(0);
  expect(result.sentPerSecond).toBeGreaterThan(0);
  expect(result.fedreportToFedreportPerSecond).toBeGreaterThan(0);
});
