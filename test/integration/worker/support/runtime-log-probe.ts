/**
 * Run by runtime-logs.test.ts in its own process (a process has one Temporal Runtime): installs the Runtime as the
 * worker does, runs an activity-only worker against the test dev server for a moment, and stops. Log lines go to
 * stdout as pino writes them.
 */
import { NativeConnection, Worker } from '@temporalio/worker';
import { createLogger } from '../../../../common/logger';
import { installRuntime } from '../../../../worker/runtime-logger';

async function main(): Promise<void> {
  installRuntime(createLogger('runtime-log-probe', 'debug'));
  const connection = await NativeConnection.connect({ address: process.env.FEDREPORT_TEST_TEMPORAL_ADDRESS });
  const worker = await Worker.create({
    connection,
    namespace: process.env.FEDREPORT_TEST_TEMPORAL_NAMESPACE,
    taskQueue: `runtime-log-probe-${process.pid}`,
    activities: { probe: () => Promise.resolve() },
  });
  const running = worker.run();
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  worker.shutdown();
  await running;
  await connection.close();
}

void main();
