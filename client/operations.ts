/**
 * What operators do to encounter workflows from outside, beyond submitting and asking for status
 * (`encounters.ts`): find them through Temporal visibility (the ReportStatus and PracticeOds search attributes),
 * send one or many of them an operator decision, and export a history for replay (checked to hold no plaintext
 * payload). Shared by the CLI and anything else that operates encounters (API, benchmarks), so all of them query
 * and signal the same way.
 */
import {
  WorkflowNotFoundError,
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
  cancelReportingSignal,
  markResolvedSignal,
  resendNowSignal,
  type OperatorAction,
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

/** The operator decisions the encounter workflow accepts, by the name operators use for them. */
export const OPERATOR_DECISIONS = {
  resend: resendNowSignal,
  cancel: cancelReportingSignal,
  resolve: markResolvedSignal,
} as const;
export type OperatorDecision = keyof typeof OPERATOR_DECISIONS;

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

/** No workflow of this encounter exists, or (for signals) none is running any more. */
export class EncounterNotFoundError extends Error {
  constructor(
    readonly workflowId: string,
    reason: string,
  ) {
    super(`${workflowId}: ${reason}`);
    this.name = 'EncounterNotFoundError';
  }
}

/**
 * Sends an operator decision to the running workflow of `workflowId` (its current run, so a continue-as-new between
 * listing and signalling does not lose it). Delivery only: the workflow applies the decision on its next task.
 */
export async function signalEncounter(
  client: Client,
  workflowId: string,
  decision: OperatorDecision,
  action: OperatorAction,
): Promise<void> {
  await deliverDecision(client, workflowId, decision, parseOperatorAction(action));
}

async function deliverDecision(
  client: Client,
  workflowId: string,
  decision: OperatorDecision,
  action: OperatorAction,
): Promise<void> {
  try {
    await client.workflow.getHandle(workflowId).signal(OPERATOR_DECISIONS[decision], action);
  } catch (error) {
    if (error instanceof WorkflowNotFoundError)
      throw new EncounterNotFoundError(
        workflowId,
        'no running workflow (never submitted, or already finished)',
      );
    throw error;
  }
}

/** What became of one item of a bulk operation. */
export type Settled<T, R> = { item: T; ok: true; value: R } | { item: T; ok: false; error: unknown };

/**
 * Runs `operation` for every item, `concurrency` at a time, and reports each outcome as it settles; one failure
 * never stops the others. The bulk runner of operator commands (submitting files, signalling many encounters).
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

/** Sends the same operator decision to many encounter workflows (see `signalEncounter`); one outcome each. */
export function signalEncounters(
  client: Client,
  workflowIds: readonly string[],
  decision: OperatorDecision,
  action: OperatorAction,
  options: { onSettled?: (outcome: Settled<string, void>) => void } = {},
): Promise<Settled<string, void>[]> {
  const parsed = parseOperatorAction(action);
  return settleEach(
    workflowIds,
    (workflowId) => deliverDecision(client, workflowId, decision, parsed),
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
