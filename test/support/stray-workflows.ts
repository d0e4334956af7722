import type { Client } from '@temporalio/client';

/**
 * Test files share one dev server and task queue. A long-running MESH inbox poller left by an earlier file (another
 * worker, another codec key) would be picked up by this file's worker, so each file that runs pollers ends them first.
 */
export async function terminateRunningInboxPollers(client: Client): Promise<void> {
  const handles = [];
  for await (const run of client.workflow.list({ query: `WorkflowType = 'meshInboxWorkflow' AND ExecutionStatus = 'Running'` })) {
    handles.push(client.workflow.getHandle(run.workflowId, run.runId));
  }
  await Promise.all(handles.map((h) => h.terminate('stale poller from another test').catch(() => undefined)));
}
