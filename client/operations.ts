/**
 * What operators do to encounter workflows from outside, beyond submitting and asking for status
 * (`encounters.ts`): find them through Temporal visibility (the ReportStatus and PracticeOds search attributes),
 * give one or many of them an operator command, and export a history for replay (checked to hold no plaintext
 * payload). Shared by the CLI and anything else that operates encounters (API, benchmarks), so all of them query
 * and command the same way.
 */
import {
  ApplicationFailure,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  isGrpcServiceError,
  type Client,
  type WorkflowExecutionStatusName,
} from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { z } from 'zod';
import { ENCRYPTED_ENCODING, KEY_ID_METADATA_KEY } from '../common/payload-codec';
import { odsCodeSchema } from '../domain/snapshot';
import { ValidationError, fieldIssuesFromZod } from '../domain/validation-error';
import { encounterIdFromWorkflowId } from '../workflows/encounter-identity';
import {
  ENCOUNTER_WORKFLOW_TYPE,
  cancelUpdate,
  resendUpdate,
  resolveUpdate,
  type OperatorAction,
  type OperatorCommand,
  type OperatorCommandAccepted,
} from '../workflows/encounter-messages';
import { NEXT_ACTION_TIME, PRACTICE_ODS, REPORT_STATUS } from '../workflows/search-attributes';

/** An encounter as operators name it: its GUID, or the workflow id `encounter-<GUID>` copied from a listing. */
export const encounterReferenceSchema = z
  .string()
  .trim()
  .transform((value) => encounterIdFromWorkflowId(value) ?? value)
  .pipe(z.string().uuid('must be an encounter GUID or its workflow id encounter-<GUID>'));

/**
 * A report state as published in ReportStatus (e.g. `needs-attention`). Checked for shape only: the value is quoted
 * into a visibility query, so nothing but lower-case words joined by hyphens may pass.
 */
export const reportStatusSchema = z
  .string()
  .regex(/^[a-z]+(-[a-z]+)*$/, 'must be a report state such as needs-attention or waiting-quiet-period');

const encounterFilterSchema = z
  .object({
    status: reportStatusSchema.optional(),
    practiceOds: odsCodeSchema.optional(),
    /** Completed, terminated or failed workflows too; by default only running ones, which are the actionable ones. */
    includeClosed: z.boolean().optional(),
  })
  .strict();
export type EncounterFilter = z.infer<typeof encounterFilterSchema>;

/** One encounter workflow as visibility lists it: search attributes only, never the encrypted state. */
export interface EncounterListing {
  workflowId: string;
  runId: string;
  reportStatus?: string;
  practiceOds?: string;
  nextActionTime?: Date;
  startTime: Date;
  executionStatus: WorkflowExecutionStatusName;
}

/** The visibility query of a filter. Values are validated first, because they are quoted into the query. */
function encounterVisibilityQuery(filter: EncounterFilter): string {
  const result = encounterFilterSchema.safeParse(filter);
  if (!result.success) throw new ValidationError('encounter filter', fieldIssuesFromZod(result.error));
  const { status, practiceOds, includeClosed } = result.data;
  return [
    `WorkflowType = '${ENCOUNTER_WORKFLOW_TYPE}'`,
    ...(includeClosed ? [] : [`ExecutionStatus = 'Running'`]),
    ...(status ? [`${REPORT_STATUS.name} = '${status}'`] : []),
    ...(practiceOds ? [`${PRACTICE_ODS.name} = '${practiceOds}'`] : []),
  ].join(' AND ');
}

/**
 * Encounter workflows matching the filter, newest first as the visibility store orders them, at most `limit`.
 * Visibility is eventually consistent: a state change shows here a moment after the workflow made it.
 */
export async function listEncounters(
  client: Client,
  filter: EncounterFilter,
  { limit = Number.POSITIVE_INFINITY }: { limit?: number } = {},
): Promise<EncounterListing[]> {
  const query = encounterVisibilityQuery(filter);
  const listings: EncounterListing[] = [];
  if (limit <= 0) return listings;
  for await (const info of client.workflow.list({ query, pageSize: Math.min(limit, 1_000) })) {
    const attributes = info.typedSearchAttributes;
    listings.push({
      workflowId: info.workflowId,
      runId: info.runId,
      reportStatus: attributes.get(REPORT_STATUS),
      practiceOds: attributes.get(PRACTICE_ODS),
      nextActionTime: attributes.get(NEXT_ACTION_TIME),
      startTime: info.startTime,
      executionStatus: info.status.name,
    });
    if (listings.length >= limit) break;
  }
  return listings;
}

/** The operator commands, as the Updates the encounter workflow validates (and may refuse) before applying them. */
export const OPERATOR_COMMANDS = {
  resend: resendUpdate,
  cancel: cancelUpdate,
  resolve: resolveUpdate,
} as const satisfies Record<OperatorCommand, unknown>;
export type { OperatorCommand, OperatorCommandAccepted };

/** Who decided and why: kept in the workflow history (encrypted) for audit, so both are bounded free text. */
const operatorActionSchema = z
  .object({
    requestedBy: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters'),
    reason: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(500, 'must be at most 500 characters')
      .optional(),
  })
  .strict();

/** Validates who decided and why; throws a ValidationError naming the field and the reason (never the text). */
export function parseOperatorAction(input: OperatorAction): OperatorAction {
  const result = operatorActionSchema.safeParse(input);
  if (!result.success) throw new ValidationError('operator action', fieldIssuesFromZod(result.error));
  return result.data;
}

/** No workflow of this encounter exists, or (for commands) none is running any more. */
export class EncounterNotFoundError extends Error {
  constructor(
    readonly workflowId: string,
    reason: string,
  ) {
    super(`${workflowId}: ${reason}`);
    this.name = 'EncounterNotFoundError';
  }
}

/** The workflow refused the command as it stands (its validator's reason, e.g. a send is in flight); nothing changed. */
export class OperatorCommandRefusedError extends Error {
  constructor(
    readonly workflowId: string,
    readonly command: OperatorCommand,
    readonly reason: string,
  ) {
    super(`${command} refused by ${workflowId}: ${reason}`);
    this.name = 'OperatorCommandRefusedError';
  }
}

/** No worker answered the command in time. Not refused: a worker may still apply it, so check before repeating it. */
export class OperatorCommandUnansweredError extends Error {
  constructor(
    readonly workflowId: string,
    readonly command: OperatorCommand,
  ) {
    super(
      `no worker answered the ${command} of ${workflowId} in time: check that fedreport workers are running, ` +
        'then the status of the encounter before repeating it',
    );
    this.name = 'OperatorCommandUnansweredError';
  }
}

export interface OperatorCommandOptions {
  /** How long to wait for a worker to accept or refuse (an Update needs one; the SDK would wait indefinitely). */
  timeoutMs?: number;
}

/**
 * Gives an operator command to the running workflow of `workflowId` (its current run, so a continue-as-new between
 * listing and commanding does not lose it) and answers what the workflow accepted, with the report state then; the
 * workflow applies it on its next step. Throws OperatorCommandRefusedError when the workflow refuses it.
 */
export async function commandEncounter(
  client: Client,
  workflowId: string,
  command: OperatorCommand,
  action: OperatorAction,
  options: OperatorCommandOptions = {},
): Promise<OperatorCommandAccepted> {
  return deliverCommand(client, workflowId, command, parseOperatorAction(action), options);
}

async function deliverCommand(
  client: Client,
  workflowId: string,
  command: OperatorCommand,
  action: OperatorAction,
  { timeoutMs = 10_000 }: OperatorCommandOptions,
): Promise<OperatorCommandAccepted> {
  try {
    return await client.withDeadline(Date.now() + timeoutMs, () =>
      client.workflow.getHandle(workflowId).executeUpdate(OPERATOR_COMMANDS[command], { args: [action] }),
    );
  } catch (error) {
    throw commandError(error, workflowId, command);
  }
}

/** The typed error of a command the workflow did not accept; anything unexpected as it came. */
function commandError(error: unknown, workflowId: string, command: OperatorCommand): unknown {
  if (error instanceof WorkflowNotFoundError)
    return new EncounterNotFoundError(
      workflowId,
      'no running workflow (never submitted, or already finished)',
    );
  // A validator's refusal (or the handler's failure) arrives as the Update's failure, the reason its message.
  if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure)
    return new OperatorCommandRefusedError(workflowId, command, error.cause.message);
  if (error instanceof WorkflowUpdateRPCTimeoutOrCancelledError)
    return new OperatorCommandUnansweredError(workflowId, command);
  return error;
}

/** What became of one item of a bulk operation. */
export type Settled<T, R> = { item: T; ok: true; value: R } | { item: T; ok: false; error: unknown };

/**
 * Runs `operation` for every item, `concurrency` at a time, and reports each outcome as it settles; one failure
 * never stops the others. The bulk runner of operator commands (submitting files, commanding many encounters).
 */
export async function settleEach<T, R>(
  items: readonly T[],
  operation: (item: T) => Promise<R>,
  { concurrency = 8, onSettled }: { concurrency?: number; onSettled?: (outcome: Settled<T, R>) => void } = {},
): Promise<Settled<T, R>[]> {
  const outcomes = new Array<Settled<T, R>>(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      const item = items[index] as T;
      let outcome: Settled<T, R>;
      try {
        outcome = { item, ok: true, value: await operation(item) };
      } catch (error) {
        outcome = { item, ok: false, error };
      }
      outcomes[index] = outcome;
      onSettled?.(outcome);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, lane));
  return outcomes;
}

/** Gives the same operator command to many encounter workflows (see `commandEncounter`); one outcome each. */
export function commandEncounters(
  client: Client,
  workflowIds: readonly string[],
  command: OperatorCommand,
  action: OperatorAction,
  options: OperatorCommandOptions & {
    onSettled?: (outcome: Settled<string, OperatorCommandAccepted>) => void;
  } = {},
): Promise<Settled<string, OperatorCommandAccepted>[]> {
  const parsed = parseOperatorAction(action);
  return settleEach(
    workflowIds,
    (workflowId) => deliverCommand(client, workflowId, command, parsed, options),
    options,
  );
}

/** gRPC NOT_FOUND: the history of a workflow id (or run id) the server does not know. */
const GRPC_NOT_FOUND = 5;

/** A run's history as JSON (`historyToJSON`), with what a reader of the file can and cannot see. */
export interface HistoryExport {
  json: string;
  events: number;
  /** Payloads the codec encrypted: unreadable without the codec keys. */
  encryptedPayloads: number;
  /** The codec keys those payloads were encrypted with: replaying the history needs them. */
  keyIds: string[];
  /**
   * Where a payload is not encrypted although the codec should have encrypted it (written by a client without the
   * codec, or before encryption was on), e.g. `event 12 workflowExecutionSignaledEventAttributes.input.payloads[0]`.
   */
  plaintextPayloads: string[];
}

/**
 * The history of one run of an encounter workflow (the latest run unless `runId` is given), as the server stores
 * it: payloads stay encrypted, because the client decodes payloads only when it hands them to code, never in a
 * fetched history. Workflow ids, search attributes, activity and signal names, failure type names and timestamps
 * are plaintext by design and carry no PHI.
 */
export async function exportEncounterHistory(
  client: Client,
  workflowId: string,
  runId?: string,
): Promise<HistoryExport> {
  let history;
  try {
    history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
  } catch (error) {
    if (isGrpcServiceError(error) && Number(error.code) === GRPC_NOT_FOUND)
      throw new EncounterNotFoundError(workflowId, runId ? `no run ${runId}` : 'no such workflow');
    throw error;
  }
  const json = historyToJSON(history);
  return {
    json,
    events: history.events?.length ?? 0,
    ...auditPayloads(JSON.parse(json) as { events?: unknown[] }),
  };
}

interface PayloadJson {
  metadata: Record<string, string>;
  data?: string;
}

function isPayloadJson(value: object): value is PayloadJson {
  const metadata = (value as { metadata?: unknown }).metadata;
  return typeof metadata === 'object' && metadata !== null && 'encoding' in metadata;
}

const metadataText = (payload: PayloadJson, key: string): string | undefined =>
  payload.metadata[key] === undefined
    ? undefined
    : Buffer.from(payload.metadata[key], 'base64').toString('utf8');

/**
 * Classifies every payload of a history in its JSON form. Two kinds are plaintext by design and skipped: search
 * attributes (the server indexes them; PHI-free by construction) and the SDK's own marker bookkeeping (local
 * activity sequence numbers, types and times; the activity's `result` in a marker is ours and must be encrypted).
 */
function auditPayloads(history: { events?: unknown[] }): Omit<HistoryExport, 'json' | 'events'> {
  let encryptedPayloads = 0;
  const keyIds = new Set<string>();
  const plaintextPayloads: string[] = [];
  const visit = (value: unknown, path: string): void => {
    if (Array.isArray(value)) {
      value.forEach((item, index) => visit(item, `${path}[${index}]`));
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    if (isPayloadJson(value)) {
      if (metadataText(value, 'encoding') === ENCRYPTED_ENCODING) {
        encryptedPayloads += 1;
        keyIds.add(metadataText(value, KEY_ID_METADATA_KEY) ?? '(none)');
      } else {
        plaintextPayloads.push(path);
      }
      return;
    }
    for (const [key, child] of Object.entries(value)) {
      if (key === 'searchAttributes') continue;
      if (path.endsWith('markerRecordedEventAttributes.details') && key !== 'result') continue;
      visit(child, `${path}.${key}`);
    }
  };
  for (const event of history.events ?? []) {
    const { eventId, ...fields } = event as { eventId?: string };
    for (const [key, child] of Object.entries(fields)) visit(child, `event ${eventId ?? '?'} ${key}`);
  }
  return { encryptedPayloads, keyIds: [...keyIds].sort(), plaintextPayloads };
}
