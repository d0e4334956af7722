/**
 * What the fuzzed requests did to Temporal, read back from the server: which encounter workflows were started in a
 * window (visibility API), how many signals one received (its history), and cleaning up after a batch.
 */
import type { Client } from '@temporalio/client';
import { ENCOUNTER_WORKFLOW_TYPE } from '../../../../workflows/encounter-messages';

/** Visibility is updated asynchronously: how long to wait for the workflows a batch must have started. */
const VISIBILITY_WAIT_MS = 15_000;
/** Once those are visible, a further moment for any started by requests answered earlier but indexed later. */
const VISIBILITY_SETTLE_MS = 300;

const startedSinceQuery = (since: Date): string =>
  `WorkflowType = "${ENCOUNTER_WORKFLOW_TYPE}" AND StartTime >= "${since.toISOString()}"`;

/**
 * The ids of encounter workflows started since `since`, once at least `atLeast` are visible (or the wait is over).
 * Tests and benchmarks run on a Temporal server of their own, so every workflow in the window is theirs.
 */
export async function encounterWorkflowsStartedSince(
  client: Client,
  since: Date,
  atLeast: number,
): Promise<string[]> {
  const query = startedSinceQuery(since);
  const deadline = Date.now() + VISIBILITY_WAIT_MS;
  while ((await client.workflow.count(query)).count < atLeast && Date.now() < deadline) await sleep(100);
  await sleep(VISIBILITY_SETTLE_MS);
  const ids: string[] = [];
  for await (const execution of client.workflow.list({ query })) ids.push(execution.workflowId);
  return ids;
}

export async function signalsReceived(client: Client, workflowId: string): Promise<number> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  return (history.events ?? []).filter((event) => event.workflowExecutionSignaledEventAttributes).length;
}

/** Leaves nothing running for a later test's worker to pick up. */
export async function terminateAll(client: Client, workflowIds: string[], reason: string): Promise<void> {
  await Promise.all(
    workflowIds.map((id) =>
      client.workflow
        .getHandle(id)
        .terminate(reason)
        .catch(() => undefined),
    ),
  );
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
