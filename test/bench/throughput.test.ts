/**
 * `npm run bench -- throughput --quick` in CI: 100 consultations end to end to acknowledged through the real stack,
 * beside the engine ceiling. The ratio depends on how busy the machine is and is recorded by the bench command; what
 * must hold on any machine is checked here.
 */
import { runThroughputBench, type ThroughputResult } from '../../bench/throughput';

let result: ThroughputResult;
beforeAll(async () => {
  result = await runThroughputBench({ quick: true });
}, 6 * 60_000);

it('delivers every consultation’s report exactly once', () => {
  expect({ received: result.received, duplicates: result.duplicates }).toEqual({ received: 100, duplicates: 0 });
});

it('measures against a ceiling that asks the engine for everything an encounter asks for', () => {
  expect(result.historyShapes.beyondCeiling).toEqual([]);
  const workflowTasks = /workflow_task_completed ×(\d+)/;
  expect(result.historyShapes.fedreport.match(workflowTasks)?.[1]).toBe(result.historyShapes.ceiling.match(workflowTasks)?.[1]);
  expect(result.historyShapes.fedreport).toMatch(/activity_task_scheduled ×2/);
});

it('reports its rate as a ratio to the ceiling measured in the same run', () => {
  expect(result.reportsPerSecond).toBeGreaterThan(0);
  expect(result.ratio).toBeCloseTo(result.reportsPerSecond / result.ceilingPerSecond, 6);
});
