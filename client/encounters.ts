/**
 * The things every outside caller does with an encounter workflow (HTTP API, CLI, benchmarks): deliver a saved
 * consultation, ask for its status, withdraw it. One place, so all of them reach workflows the same way.
 */
import {
  ApplicationFailure,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  isGrpcCancelledError,
  isGrpcDeadlineError,
  isGrpcServiceError,
  type Client,
} from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { ConsultationSnapshot } from '../domain/snapshot';
import { storeSnapshotAttachments, type AttachmentStore } from '../integrations/store/snapshot-attachments';
import { parseWithdrawal, type Withdrawal } from '../domain/withdrawal';
import { ENCOUNTER_TASK_QUEUE, encounterWorkflowId } from '../workflows/encounter-identity';
import {
  ENCOUNTER_WORKFLOW_TYPE,
  consultationSavedSignal,
  statusQuery,
  type EncounterStatus,
  type EncounterWorkflowInput,
} from '../workflows/encounter-messages';
import { withdrawUpdate, type WithdrawalAccepted } from '../workflows/encounter-withdrawal';
import { PRACTICE_ODS, REPORT_STATUS } from '../workflows/search-attributes';
import { encounterStaticDetails, encounterStaticSummary } from '../workflows/ui-summaries';

/** gRPC status FAILED_PRECONDITION. */
const GRPC_FAILED_PRECONDITION = 9;

/**
 * Temporal refuses a payload over its blob size limit (2 MB by default, `limit.blobSize.error`). The snapshot travels
 * again inside activity inputs and continue-as-new state with a few hundred bytes more, so the default leaves a
 * quarter for those; encoding and encryption add about 150 bytes (docs/api.md).
 */
export const DEFAULT_MAX_SNAPSHOT_BYTES = 1.5 * 1024 * 1024;

/** The encounter workflow as clients see it: started by type name, so the client never imports workflow code. */
type EncounterWorkflow = (input: EncounterWorkflowInput) => Promise<unknown>;

export interface SubmittedConsultation {
  workflowId: string;
  encounterId: string;
  revision: number;
}

/** The snapshot, encoded as Temporal would store it, is over the budget: no retry can succeed. */
export class SnapshotTooLargeError extends Error {
  constructor(
    readonly encodedBytes: number,
    readonly limitBytes: number,
  ) {
    super(
      `the snapshot encodes to ${encodedBytes} bytes, over the ${limitBytes} bytes an encounter can hold`,
    );
    this.name = 'SnapshotTooLargeError';
  }
}

/** The encounter's running workflow belongs to another hosting practice than the save names. */
export class HostingPracticeMismatchError extends Error {
  constructor(readonly workflowId: string) {
    super(`${workflowId} belongs to another hosting practice than the save names`);
    this.name = 'HostingPracticeMismatchError';
  }
}

export interface SubmitOptions {
  /** Largest encoded snapshot accepted; DEFAULT_MAX_SNAPSHOT_BYTES by default. */
  maxSnapshotBytes?: number;
  /**
   * Where to store the attachments (the archive): the workflow then carries references, not content. Without it they
   * travel inline and count against the snapshot budget.
   */
  attachments?: AttachmentStore;
}

/**
 * Delivers a validated snapshot to its encounter's workflow, starting the workflow if it is not running
 * (signalWithStart: works with no worker up, and is idempotent because the workflow ignores stale or repeated
 * revisions). PHI travels only in the signal payload, which the data converter encrypts, and in the sealed archive;
 * the workflow id and search attributes carry the encounter GUID and an ODS code only. Refuses first, starting
 * nothing, a snapshot naming another hosting practice than the running workflow's and one over the size budget.
 * Attachments stored before a refusal stay stored: content-addressed, so a corrected save reuses them.
 */
export async function submitConsultationSaved(
  client: Client,
  submitted: ConsultationSnapshot,
  { maxSnapshotBytes = DEFAULT_MAX_SNAPSHOT_BYTES, attachments }: SubmitOptions = {},
): Promise<SubmittedConsultation> {
  const workflowId = encounterWorkflowId(submitted.encounterId);
  const practice = await encounterPractice(client, workflowId);
  const runningOds = practice?.running ? practice.odsCode : undefined;
  if (runningOds !== undefined && runningOds !== submitted.hostingPractice.odsCode) {
    throw new HostingPracticeMismatchError(workflowId);
  }
  const snapshot = attachments ? await storeSnapshotAttachments(attachments, submitted) : submitted;
  const encodedBytes = await encodedPayloadBytes(client, snapshot);
  if (encodedBytes > maxSnapshotBytes) throw new SnapshotTooLargeError(encodedBytes, maxSnapshotBytes);
  await client.workflow.signalWithStart<EncounterWorkflow, [ConsultationSnapshot]>(ENCOUNTER_WORKFLOW_TYPE, {
    workflowId,
    taskQueue: ENCOUNTER_TASK_QUEUE,
    ...consultationSavedStart(snapshot),
  });
  return { workflowId, encounterId: snapshot.encounterId, revision: snapshot.revision };
}

/** The size of `value` as Temporal stores it: converted and encoded (encrypted) by the client's own data converter. */
export async function encodedPayloadBytes(client: Client, value: unknown): Promise<number> {
  const { payloadConverter, payloadCodecs } = client.options.loadedDataConverter;
  let payloads = [payloadConverter.toPayload(value)];
  for (const codec of payloadCodecs) payloads = await codec.encode(payloads);
  return temporal.api.common.v1.Payload.encode(payloads[0] ?? {}).finish().length;
}

/** The hosting practice (PracticeOds) of an encounter's latest run, and whether that run is still running. */
export interface EncounterPractice {
  /** Undefined only for a run started without the attribute, which no fedreport client does. */
  odsCode: string | undefined;
  running: boolean;
}

/**
 * The hosting practice of the encounter's latest run, or undefined when there is no workflow for it. A describe is
 * one cheap call; a save racing a first save of another practice is still refused by the workflow itself.
 */
export async function encounterPractice(
  client: Client,
  workflowId: string,
): Promise<EncounterPractice | undefined> {
  try {
    const description = await client.workflow.getHandle(workflowId).describe();
    return {
      odsCode: description.typedSearchAttributes.get(PRACTICE_ODS),
      running: description.status.name === 'RUNNING',
    };
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return undefined;
    throw error;
  }
}

/** The start arguments, save signal and initial search attributes of an encounter workflow for this save. */
export function consultationSavedStart(snapshot: ConsultationSnapshot) {
  return {
    args: [{ encounterId: snapshot.encounterId, hostingPracticeOds: snapshot.hostingPractice.odsCode }] as [
      EncounterWorkflowInput,
    ],
    signal: consultationSavedSignal,
    signalArgs: [snapshot] as [ConsultationSnapshot],
    // Shown by the Temporal UI in the workflow list and header: ids and ODS codes only (workflows/ui-summaries.ts).
    staticSummary: encounterStaticSummary(snapshot.hostingPractice.odsCode),
    staticDetails: encounterStaticDetails(snapshot.encounterId, snapshot.hostingPractice.odsCode),
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
  return grpcStatusOf(error) === GRPC_FAILED_PRECONDITION;
}

/** An error and its causes, outermost first (the Temporal SDK wraps gRPC errors in its own). */
export function causeChain(error: unknown): Error[] {
  const chain: Error[] = [];
  for (let current: unknown = error; current instanceof Error; current = current.cause) chain.push(current);
  return chain;
}

/** The gRPC status code behind a Temporal client error, if there is one. */
export function grpcStatusOf(error: unknown): number | undefined {
  const grpc = causeChain(error).find(isGrpcServiceError);
  return grpc && Number(grpc.code);
}

/** What the API and CLI answer for an accepted withdrawal. */
export type WithdrawnEncounter = WithdrawalAccepted & { workflowId: string; encounterId: string };

/** What became of a withdrawal the workflow did not accept. */
export class WithdrawalNotAcceptedError extends Error {
  constructor(
    readonly workflowId: string,
    /** `not-found`: no workflow at all; `refused`: the workflow (or its end) refused it; `unanswered`: no worker in time. */
    readonly outcome: 'not-found' | 'refused' | 'unanswered',
    readonly reason: string,
  ) {
    super(`withdrawal of ${workflowId} not accepted (${outcome}): ${reason}`);
    this.name = 'WithdrawalNotAcceptedError';
  }
}

/**
 * Tells the encounter's workflow that the consultation was deleted or entered in error (the `withdraw` Update) and
 * answers what it did. The Update id is derived from the withdrawal, so a client repeating the same withdrawal after
 * a timeout gets the first answer instead of a second withdrawal. An Update needs a worker: bounded by `timeoutMs`.
 */
export async function withdrawEncounter(
  client: Client,
  encounterId: string,
  withdrawal: Withdrawal,
  { timeoutMs = 10_000 }: { timeoutMs?: number } = {},
): Promise<WithdrawnEncounter> {
  const workflowId = encounterWorkflowId(encounterId);
  const { reason, requestedBy, at } = parseWithdrawal(withdrawal);
  try {
    const accepted = await client.withDeadline(Date.now() + timeoutMs, () =>
      client.workflow.getHandle(workflowId).executeUpdate(withdrawUpdate, {
        args: [{ reason, requestedBy, at }],
        updateId: `withdraw-${reason}-${new Date(at).toISOString()}`,
      }),
    );
    return { workflowId, encounterId, state: accepted.state, outcome: accepted.outcome };
  } catch (error) {
    throw await withdrawalError(client, error, workflowId);
  }
}

async function withdrawalError(client: Client, error: unknown, workflowId: string): Promise<unknown> {
  if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure)
    return new WithdrawalNotAcceptedError(workflowId, 'refused', error.cause.message);
  if (error instanceof WorkflowUpdateRPCTimeoutOrCancelledError)
    return new WithdrawalNotAcceptedError(
      workflowId,
      'unanswered',
      'no worker answered in time; the same withdrawal may be repeated',
    );
  if (!(error instanceof WorkflowNotFoundError)) return error;
  // Not running: never submitted, or finished after its idle retention (then nobody acts on it automatically).
  try {
    await client.workflow.getHandle(workflowId).describe();
  } catch (described) {
    if (described instanceof WorkflowNotFoundError)
      return new WithdrawalNotAcceptedError(
        workflowId,
        'not-found',
        'no consultation of this encounter has been submitted',
      );
    throw described;
  }
  return new WithdrawalNotAcceptedError(
    workflowId,
    'refused',
    'the encounter has finished (its idle retention passed): ask the fedreport operators to contact the registered practice',
  );
}
