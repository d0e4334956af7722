import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { REPORT_STATUS } from '../../workflows/search-attributes';
import { testTemporal } from '../support/servers';
import { bundleWorkflows, installTestRuntime } from '../support/temporal';
import { markedWithStatus } from '../workflow/fixtures/smoke-workflows';

describe('Temporal dev server', () => {
  it('runs a workflow that operators can find by a custom search attribute', async () => {
    installTestRuntime();
    const { address, namespace } = testTemporal();
    const connection = await Connection.connect({ address });
    const client = new Client({ connection, namespace });
    const nativeConnection = await NativeConnection.connect({ address });
    const taskQueue = `smoke-${Date.now()}`;
    const status = `smoke-${Date.now()}`;
    try {
      const worker = await Worker.create({
        connection: nativeConnection,
        namespace,
        taskQueue,
        workflowBundle: await bundleWorkflows(require.resolve('../workflow/fixtures/smoke-workflows')),
      });
      const result = await worker.runUntil(
        client.workflow.execute(markedWithStatus, { taskQueue, workflowId: `smoke-sa-${status}`, args: [status] }),
      );
      expect(result).toBe(status);

      // Visibility is eventually consistent: poll briefly.
      let ids: string[] = [];
      for (let attempt = 0; attempt < 50 && ids.length === 0; attempt++) {
        ids = [];
        for await (const info of client.workflow.list({ query: `${REPORT_STATUS.name} = '${status}'` })) ids.push(info.workflowId);
        if (ids.length === 0) await new Promise((r) => setTimeout(r, 200));
      }
      expect(ids).toEqual([`smoke-sa-${status}`]);
    } finally {
      await nativeConnection.close();
      await connection.close();
    }
  });
});
