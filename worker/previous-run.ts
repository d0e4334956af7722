/**
 * Where a new run of an encounter picks up after an earlier run completed (idle retention): the version count and
 * the last document's identifiers and the state it ended in, read from that run's result through the Temporal client.
 */
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { EncounterStatus } from '../workflows/encounter-messages';
import type { EncounterActivities, PreviousRunSummary } from '../workflows/encounter-activities';

const COMPLETED = temporal.api.enums.v1.WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED;

export function createPreviousRunActivities(client: Client): Pick<EncounterActivities, 'previousRunSummary'> {
  return {
    async previousRunSummary({ workflowId, currentRunId }): Promise<PreviousRunSummary | null> {
      const runId = await latestCompletedRun(client, workflowId, currentRunId);
      if (!runId) return null;
      const result = (await client.workflow.getHandle(workflowId, runId, { followRuns: false }).result()) as EncounterStatus;
      return {
        latestRevision: result.latestRevision,
        reportVersion: result.reportVersion,
        lastDocumentIdentifier: result.lastDocumentIdentifier,
        lastMessageHeaderId: result.lastMessageHeaderId,
        state: result.state,
      };
    },
  };
}

/**
 * The closed-executions listing filtered by workflow id: unlike a visibility query it is served by every Temporal
 * server fedreport runs on, the time-skipping test server included. Runs that continued as new carry no result.
 */
async function latestCompletedRun(client: Client, workflowId: string, currentRunId: string): Promise<string | undefined> {
  let latest: { runId: string; closedAt: number } | undefined;
  let nextPageToken: Uint8Array | undefined;
  do {
    const page = await client.workflowService.listClosedWorkflowExecutions({ namespace: client.options.namespace, maximumPageSize: 100, executionFilter: { workflowId }, nextPageToken });
    for (const run of page.executions ?? []) {
      const runId = run.execution?.runId;
      if (!runId || runId === currentRunId || run.status !== COMPLETED) continue;
      const closedAt = Number(run.closeTime?.seconds ?? 0) * 1000 + Math.floor((run.closeTime?.nanos ?? 0) / 1e6);
      if (!latest || closedAt > latest.closedAt) latest = { runId, closedAt };
    }
    nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
  } while (nextPageToken);
  return latest?.runId;
}
