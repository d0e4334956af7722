/**
 * The two things every outside caller does with an encounter workflow (HTTP API, CLI, benchmarks): deliver a saved
 * consultation and ask for its status. One place, so all of them start workflows the same way.
 */
import { isGrpcCancelledError, isGrpcDeadlineError, isGrpcServiceError, WorkflowNotFoundError, type Client } from '@temporalio/client';

/** gRPC status FAILED_PRECONDITION. */
const GRPC_FAILED_PRECONDITION = 9;
import type { ConsultationSnapshot } from '../domain/snapshot';
import { ENCOUNTER_TASK_QUEUE, encounterWorkflowId } from '../workflows/encounter-identity';
import {
  ENCOUNTER_WORKFLOW_TYPE,
  consultationSavedSignal,
  statusQuery,
  type EncounterStatus,
  type EncounterWorkflowInput,
} from '../workflows/encounter-messages';
import { PRACTICE_ODS, REPORT_STATUS } from '../workflows/search-attributes';

/** The encounter workflow as clients see it: started by type name, so the client never imports workflow code. */
type EncounterWorkflow = (input: EncounterWorkflowInput) => Promise<unknown>;

export interface SubmittedConsultation {
  workflowId: string;
  encounterId: string;
  revision: number;
}

/**
 * Delivers a validated snapshot to its encounter's workflow, starting the workflow if it is not running
 * (signalWithStart: works with no worker up, and is idempotent because the workflow ignores stale or repeated
 * revisions). PHI travels only in the signal payload, which the data converter encrypts; the workflow id and
 * search attributes carry the encounter GUID and an ODS code only.
 */
export async function submitConsultationSaved(
  client: Client,
  snapshot: ConsultationSnapshot,
): Promise<SubmittedConsultation> {
  const workflowId = encounterWorkflowId(snapshot.encounterId);
  await client.workflow.signalWithStart<EncounterWorkflow, [ConsultationSnapshot]>(ENCOUNTER_WORKFLOW_TYPE, {
    workflowId,
    taskQueue: ENCOUNTER_TASK_QUEUE,
    ...consultationSavedStart(snapshot),
  });
  return { workflowId, encounterId: snapshot.encounterId, revision: snapshot.revision };
}

/** The start arguments, save signal and initial search attributes of an encounter workflow for this save. */
export function consultationSavedStart(snapshot: ConsultationSnapshot) {
  return {
    args: [{ encounterId: snapshot.encounterId, hostingPracticeOds: snapshot.hostingPractice.odsCode }] as [EncounterWorkflowInput],
    signal: consultationSavedSignal,
    signalArgs: [snapshot] as [ConsultationSnapshot],
    // Applied only when this call starts the workflow; from then on the workflow keeps them current.
    typedSearchAttributes: [
      { key: PRACTICE_ODS, value: snapshot.hostingPractice.odsCode },
      { key: REPORT_STATUS, value: 'waiting-quiet-period' },
    ],
  };
}

/** The workflow exists, but no worker answered the status query in time (none running, or all busy). */
export class EncounterStatusUnavailableError extends Error {
  constructor(readonly workflowId: string) {
    super(
      `no worker answered the status query of ${workflowId} in time: check that fedreport workers are running`,
    );
    this.name = 'EncounterStatusUnavailableError';
  }
}

/**
 * The encounter's status as its workflow reports it, or null when there is no such workflow. A query needs a worker,
 * so it is bounded by `timeoutMs` (the SDK would otherwise wait indefinitely).
 */
export async function encounterStatus(
  client: Client,
  encounterId: string,
  { timeoutMs = 10_000 }: { timeoutMs?: number } = {},
): Promise<EncounterStatus | null> {
  const workflowId = encounterWorkflowId(encounterId);
  try {
    return await client.withDeadline(Date.now() + timeoutMs, () =>
      client.workflow.getHandle(workflowId).query(statusQuery),
    );
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return null;
    if (isGrpcDeadlineError(error) || isGrpcCancelledError(error) || noWorkerPolling(error)) {
      throw new EncounterStatusUnavailableError(workflowId);
    }
    throw error;
  }
}

/**
 * With no worker to answer, the query does not always end at the deadline: seen here as CANCELLED once a worker had
 * polled the queue and gone, and Temporal may answer FAILED_PRECONDITION ("no poller seen recently, worker may be
 * down"). For the caller each means the same: no worker answered.
 */
function noWorkerPolling(error: unknown): boolean {
  let current: unknown = error;
  while (current instanceof Error) {
    if (isGrpcServiceError(current) && Number(current.code) === GRPC_FAILED_PRECONDITION) return true;
    current = current.cause;
  }
  return false;
}
