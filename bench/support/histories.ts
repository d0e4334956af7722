/**
 * What the benchmarks read from workflow histories: event counts by type (the shape of a run), every run of a
 * workflow id (continue-as-new chains), and when an event happened on the server's clock.
 */
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
const { EventType } = temporal.api.enums.v1;

/** `ACTIVITY_TASK_SCHEDULED` → count, in the order the types first occur. */
export function eventTypeCounts(events: readonly HistoryEvent[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const event of events) {
    const type = (EventType[event.eventType ?? 0] ?? 'UNKNOWN').replace(/^EVENT_TYPE_/, '');
    counts.set(type, (counts.get(type) ?? 0) + 1);
  }
  return counts;
}

/** Server time of an event, in ms since the epoch. */
export function eventTimeMs(event: HistoryEvent): number {
  return Number(event.eventTime?.seconds ?? 0) * 1000 + Math.round((event.eventTime?.nanos ?? 0) / 1e6);
}

export async function historyEvents(client: Client, workflowId: string, runId?: string): Promise<HistoryEvent[]> {
  return (await client.workflow.getHandle(workflowId, runId).fetchHistory()).events ?? [];
}

/**
 * The histories of every run of `workflowId` up to its current one, oldest first: from the current run, follow each
 * run's predecessor (continue-as-new), at most `maxRuns` (a longer chain is reported, not followed forever).
 */
export async function historiesOfChain(client: Client, workflowId: string, maxRuns = 100): Promise<HistoryEvent[][]> {
  const runs: HistoryEvent[][] = [];
  let runId = (await client.workflow.getHandle(workflowId).describe()).runId;
  while (runId) {
    if (runs.length === maxRuns) throw new Error(`${workflowId} has more than ${maxRuns} runs`);
    const events = await historyEvents(client, workflowId, runId);
    runs.unshift(events);
    runId = events[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId ?? '';
  }
  return runs;
}

/** `A ×3, B ×1` */
export function formatCounts(counts: ReadonlyMap<string, number>): string {
  return [...counts].map(([type, count]) => `${type.toLowerCase()} ×${count}`).join(', ');
}
