/**
 * Completeness reconciliation against Temporal visibility: which of a practice's encounter GUIDs fedreport holds
 * and in what state (the PracticeOds and ReportStatus search attributes, so no worker is needed and nothing
 * encrypted is read). Shared by the API and the CLI. The comparison itself is domain/reconciliation.ts; the API
 * records each result for the practice's daily digest (workflows/practice-reconciliation-workflow.ts).
 */
import type { Client } from '@temporalio/client';
import {
  distinctGuids,
  reconcile,
  type EncounterRecord,
  type Reconciliation,
  type ReconciliationRequest,
} from '../domain/reconciliation';
import {
  ENCOUNTER_TASK_QUEUE,
  encounterIdFromWorkflowId,
  encounterWorkflowId,
} from '../workflows/encounter-identity';
import { ENCOUNTER_WORKFLOW_TYPE } from '../workflows/encounter-messages';
import type { ReconciliationSummary } from '../workflows/practice-digest-activities';
import {
  PRACTICE_RECONCILIATION_WORKFLOW_TYPE,
  practiceReconciliationWorkflowId,
  reconciliationRecordedSignal,
} from '../workflows/practice-reconciliation-workflow';
import { PRACTICE_ODS, REPORT_STATUS } from '../workflows/search-attributes';

export type ReconciliationReport = Reconciliation &
  Pick<ReconciliationRequest, 'from' | 'to'> & { practiceOds: string };

export interface LookupOptions {
  /** Bound on each visibility query (one per QUERY_BATCH GUIDs). */
  timeoutMs?: number;
}

/** GUIDs per visibility query: keeps each query a few KB, well inside the server's query length limit. */
const QUERY_BATCH = 200;
/** Visibility queries in flight at once. */
const QUERY_CONCURRENCY = 4;

/** Reconciles the clinical system's list for one practice with the encounter workflows fedreport holds. */
export async function reconcileEncounters(
  client: Client,
  practiceOds: string,
  request: ReconciliationRequest,
  options: LookupOptions = {},
): Promise<ReconciliationReport> {
  const held = await heldEncounters(client, distinctGuids(request.encounterIds), options);
  return {
    practiceOds,
    from: request.from,
    to: request.to,
    ...reconcile(practiceOds, request.encounterIds, held),
  };
}

/** The digest keeps this many missed GUIDs (and the count of all). */
const MISSED_KEPT = 1_000;

/**
 * Keeps the result as the practice's last reconciliation, for its daily digest: GUIDs, counts and times only.
 * Signal-with-start, so it works with no worker up.
 */
export async function recordReconciliation(
  client: Client,
  report: ReconciliationReport,
  checkedAt = new Date(),
): Promise<void> {
  const summary: ReconciliationSummary = {
    practiceOds: report.practiceOds,
    checkedAt: checkedAt.toISOString(),
    from: report.from,
    to: report.to,
    missedEncounterIds: report.missing.slice(0, MISSED_KEPT),
    missedCount: report.missing.length,
  };
  await client.workflow.signalWithStart(PRACTICE_RECONCILIATION_WORKFLOW_TYPE, {
    workflowId: practiceReconciliationWorkflowId(report.practiceOds),
    taskQueue: ENCOUNTER_TASK_QUEUE,
    args: [null],
    signal: reconciliationRecordedSignal,
    signalArgs: [summary],
  });
}

type HeldRun = EncounterRecord & { started: number };

/**
 * What visibility holds for these GUIDs (validated GUIDs only: they are quoted into the query), keyed by lower-case
 * GUID; the latest run when an encounter ran more than once. Visibility trails the workflows by a moment.
 * Measured against per-id describe (docs/api.md): batched `WorkflowId IN (...)` queries are 3-5 times faster.
 */
export async function heldEncounters(
  client: Client,
  guids: readonly string[],
  { timeoutMs = 10_000 }: LookupOptions = {},
): Promise<Map<string, EncounterRecord>> {
  const held = new Map<string, HeldRun>();
  const batches: string[][] = [];
  for (let i = 0; i < guids.length; i += QUERY_BATCH) batches.push(guids.slice(i, i + QUERY_BATCH));
  const lane = async (): Promise<void> => {
    for (let batch = batches.shift(); batch; batch = batches.shift()) {
      await client.withDeadline(Date.now() + timeoutMs, () => collectBatch(client, batch, held));
    }
  };
  await Promise.all(Array.from({ length: QUERY_CONCURRENCY }, lane));
  return held;
}

async function collectBatch(client: Client, guids: string[], held: Map<string, HeldRun>): Promise<void> {
  const ids = guids.map((guid) => `'${encounterWorkflowId(guid)}'`).join(', ');
  const query = `WorkflowType = '${ENCOUNTER_WORKFLOW_TYPE}' AND WorkflowId IN (${ids})`;
  for await (const info of client.workflow.list({ query, pageSize: 1_000 })) {
    const key = encounterIdFromWorkflowId(info.workflowId) ?? info.workflowId;
    const started = info.startTime.getTime();
    if ((held.get(key)?.started ?? -1) > started) continue;
    held.set(key, {
      practiceOds: info.typedSearchAttributes.get(PRACTICE_ODS),
      state: info.typedSearchAttributes.get(REPORT_STATUS),
      running: info.status.name === 'RUNNING',
      started,
    });
  }
}
