/**
 * Where the scenario's encounters stand, read cheaply from visibility (the ReportStatus and ReportMessageIds search
 * attributes need no worker, so this works while the worker is dead) and, for the final verdict, from each
 * workflow's status query.
 */
import type { Client } from '@temporalio/client';
import { encounterStatus } from '../../client/encounters';
import { encounterWorkflowId } from '../../workflows/encounter-identity';
import type { EncounterStatus, ReportState } from '../../workflows/encounter-messages';
import { ENCOUNTER_WORKFLOW_TYPE, REPORT_STATES } from '../../workflows/encounter-messages';
import { REPORT_MESSAGE_IDS, REPORT_STATUS } from '../../workflows/search-attributes';

/** States in which the workflow waits for nothing but an operator or a new save: the scenario may judge them. */
const UNSETTLED_STATES: readonly ReportState[] = ['waiting-quiet-period', 'sending', 'awaiting-acknowledgement'];
const SETTLED_STATES: ReadonlySet<ReportState> = new Set(REPORT_STATES.filter((state) => !UNSETTLED_STATES.includes(state)));

export interface VisibleEncounter {
  state: ReportState | 'unknown';
  messageHeaderIds: string[];
}

/** Visibility's view of the given encounters, by encounter id; encounters visibility does not know yet are left out. */
export async function visibleEncounters(client: Client, encounterIds: readonly string[]): Promise<Map<string, VisibleEncounter>> {
  const wanted = new Map(encounterIds.map((id) => [encounterWorkflowId(id), id]));
  const found = new Map<string, VisibleEncounter>();
  for await (const info of client.workflow.list({ query: `WorkflowType = '${ENCOUNTER_WORKFLOW_TYPE}' AND ExecutionStatus = 'Running'` })) {
    const encounterId = wanted.get(info.workflowId);
    if (!encounterId) continue;
    found.set(encounterId, {
      state: (info.typedSearchAttributes.get(REPORT_STATUS) as ReportState | undefined) ?? 'unknown',
      messageHeaderIds: info.typedSearchAttributes.get(REPORT_MESSAGE_IDS) ?? [],
    });
  }
  return found;
}

export function countSettled(visible: ReadonlyMap<string, VisibleEncounter>): number {
  return [...visible.values()].filter((e) => e.state !== 'unknown' && SETTLED_STATES.has(e.state)).length;
}

export function isSettled(state: ReportState): boolean {
  return SETTLED_STATES.has(state);
}

/**
 * Polls visibility until every encounter has settled or the deadline passes; `onPoll` sees each census (progress,
 * and the scenario's chance to keep its chaos going). Returns whether all settled.
 */
export async function waitUntilSettled(
  client: Client,
  encounterIds: readonly string[],
  deadline: number,
  onPoll: (settled: number) => void = () => undefined,
): Promise<boolean> {
  while (Date.now() < deadline) {
    const visible = await visibleEncounters(client, encounterIds).catch(() => new Map<string, VisibleEncounter>());
    const settled = countSettled(visible);
    onPoll(settled);
    if (settled === encounterIds.length) return true;
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
  return false;
}

/** Every encounter's status from its workflow (a few queries at a time, so the worker is not flooded). */
export async function queryStatuses(client: Client, encounterIds: readonly string[]): Promise<Map<string, EncounterStatus | null>> {
  const statuses = new Map<string, EncounterStatus | null>();
  const queue = [...encounterIds];
  const queryNext = async (): Promise<void> => {
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
      statuses.set(id, await encounterStatus(client, id, { timeoutMs: 30_000 }));
    }
  };
  await Promise.all(Array.from({ length: 8 }, queryNext));
  return statuses;
}
