import { Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflows, createTimeSkippingEnv } from '../support/temporal';
import { threeHourTimer } from './fixtures/smoke-workflows';

describe('time-skipping test server', () => {
  let env: TestWorkflowEnvironment;
  let workflowBundle: WorkflowBundleWithSourceMap;

  beforeAll(async () => {
    [env, workflowBundle] = await Promise.all([
      createTimeSkippingEnv(),
      bundleWorkflows(require.resolve('./fixtures/smoke-workflows')),
    ]);
  });
  afterAll(async () => {
    await env?.teardown();
  });

  it('completes a 3-hour timer in well under a second of wall time', async () => {
    const worker = await Worker.create({ connection: env.nativeConnection, taskQueue: 'smoke', workflowBundle });
    const serverTimeBefore = await env.currentTimeMs();
    const started = Date.now();
    const result = await worker.runUntil(
      env.client.workflow.execute(threeHourTimer, { taskQueue: 'smoke', workflowId: `smoke-timer-${started}` }),
    );
    const wallMs = Date.now() - started;
    expect(result).toBe('fired');
    expect((await env.currentTimeMs()) - serverTimeBefore).toBeGreaterThanOrEqual(3 * 60 * 60 * 1000);
    expect(wallMs).toBeLessThan(1000);
  });
});
