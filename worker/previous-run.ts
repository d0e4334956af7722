/**
 * Where a new run of an encounter picks up after an earlier run completed (idle retention): the version count and
 * the last document's identifiers and the state it ended in, read from that run's result through the Temporal client.
 */
import type { Client } from '@temporalio/client';
import type { EncounterStatus } from '../workflows/encounter-messages';
import type { EncounterActivities, PreviousRunSummary } from '../workflows/encounter-activities';

export function createPreviousRunActivities(client: Client): Pick<EncounterActivities, 'previousRunSummary'> {
  return {
    async previousRunSummary({ workflowId, currentRunId }): Promise<PreviousRunSummary | null> {
      for await (const run of client.workflow.list({ query: `WorkflowId = '${workflowId}' AND ExecutionStatus = 'Completed'` })) {
        if (run.runId === currentRunId) continue;
        const result = (await client.workflow.getHandle(workflowId, run.runId).result()) as EncounterStatus;
        return {
          latestRevision: result.latestRevision,
          reportVersion: result.reportVersion,
          lastDocumentIdentifier: result.lastDocumentIdentifier,
          lastMessageHeaderId: result.lastMessageHeaderId,
          state: result.state,
        };
      }
      return null;
    },
  };
}
