/**
 * The practice digest from Temporal visibility: running encounters of the practice counted by ReportStatus, those
 * awaiting acknowledgement for longer than the configured days, and the practice's last reconciliation.
 */
import { Context } from '@temporalio/activity';
import { ScheduleNotFoundError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { OpenBacklog } from '../../domain/alerts';
import { REPORT_STATES } from '../../workflows/encounter-messages';
import { encounterIdFromWorkflowId } from '../../workflows/encounter-identity';
import type { PracticeDigest, PracticeDigestActivities, PracticeDigestInput, ReconciliationSummary } from '../../workflows/practice-digest-activities';
import { lastReconciliationQuery, practiceReconciliationWorkflowId } from '../../workflows/practice-reconciliation-workflow';
import { practiceDigestScheduleId } from '../../workflows/practice-digest-workflow';
import { deliverAlert, type AlertSink } from '../alerts/raise-alert';

const UNACKNOWLEDGED_LISTED = 100;
const DAY_MS = 86_400_000;

export function createPracticeDigestActivities(deps: { temporal: Client; alertSinks: AlertSink[] }): PracticeDigestActivities {
  return {
    async composePracticeDigest(input) {
      const now = new Date();
      return {
        practiceOds: input.practiceOds,
        composedAt: now.toISOString(),
        countsByState: await countsByState(deps.temporal, input.practiceOds),
        unacknowledgedAfterDays: input.unacknowledgedAfterDays,
        unacknowledged: await unacknowledged(deps.temporal, input, now),
        unacknowledgedCount: (await deps.temporal.workflow.count(unacknowledgedQuery(input, now))).count,
        lastReconciliation: await lastReconciliation(deps.temporal, input.practiceOds),
      };
    },
    deliverPracticeDigest: (digest) => deliverAlert(deps.alertSinks, { kind: 'practice-digest', practiceOds: digest.practiceOds, detail: digestLine(digest), digest }),
    raisePracticeAlert: (alert) => deliverAlert(deps.alertSinks, alert),
    previousUnacknowledgedBacklog: ({ practiceOds }) => previousBacklog(deps.temporal, practiceOds),
  };
}

/** Values are an ODS code (validated by the settings schema) and state words: safe to quote into a query. */
function practiceQuery(practiceOds: string, ...more: string[]): string {
  return [`WorkflowType = 'encounterWorkflow'`, `ExecutionStatus = 'Running'`, `PracticeOds = '${practiceOds}'`, ...more].join(' AND ');
}

async function countsByState(temporal: Client, practiceOds: string): Promise<PracticeDigest['countsByState']> {
  const counted = await Promise.all(
    REPORT_STATES.map(async (state) => [state, (await temporal.workflow.count(practiceQuery(practiceOds, `ReportStatus = '${state}'`))).count] as const),
  );
  return Object.fromEntries(counted.filter(([, count]) => count > 0));
}

/** Started before the cutoff and still awaiting: the send came a quiet period after the start, so this errs long. */
function unacknowledgedQuery(input: PracticeDigestInput, now: Date): string {
  const cutoff = new Date(now.getTime() - input.unacknowledgedAfterDays * DAY_MS).toISOString();
  return practiceQuery(input.practiceOds, `ReportStatus = 'awaiting-acknowledgement'`, `StartTime < '${cutoff}'`);
}

async function unacknowledged(temporal: Client, input: PracticeDigestInput, now: Date): Promise<string[]> {
  const ids: string[] = [];
  for await (const run of temporal.workflow.list({ query: unacknowledgedQuery(input, now) })) {
    const id = encounterIdFromWorkflowId(run.workflowId);
    if (id) ids.push(id);
    if (ids.length >= UNACKNOWLEDGED_LISTED) break;
  }
  return ids;
}

async function lastReconciliation(temporal: Client, practiceOds: string): Promise<ReconciliationSummary | null> {
  try {
    return await temporal.workflow.getHandle(practiceReconciliationWorkflowId(practiceOds)).query(lastReconciliationQuery);
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return null; // never reconciled
    throw error;
  }
}

/**
 * The open backlog the schedule's last completed digest before this one returned. Read through the schedule's
 * recent actions, since a schedule does not hand a run its predecessor's result on every server.
 */
async function previousBacklog(temporal: Client, practiceOds: string): Promise<OpenBacklog | null> {
  const current = Context.current().info.workflowExecution?.runId;
  let recent;
  try {
    recent = (await temporal.schedule.getHandle(practiceDigestScheduleId(practiceOds)).describe()).info.recentActions;
  } catch (error) {
    if (error instanceof ScheduleNotFoundError) return null; // a digest started by hand
    throw error;
  }
  // Listed oldest first; by run, since two digests triggered within a second share a workflow id.
  const earlier = recent.filter((action) => action.action.workflow.firstExecutionRunId !== current).reverse();
  for (const { action } of earlier) {
    const handle = temporal.workflow.getHandle<() => Promise<PracticeDigest>>(action.workflow.workflowId, action.workflow.firstExecutionRunId);
    if ((await handle.describe()).status.name === 'COMPLETED') return (await handle.result()).unacknowledgedBacklog ?? null;
  }
  return null;
}

/** One PHI-free line for logs and chat: counts, the overdue count and the missed hooks count. */
export function digestLine(digest: PracticeDigest): string {
  const counts = Object.entries(digest.countsByState).map(([state, n]) => `${state} ${n}`);
  const reconciliation = digest.lastReconciliation
    ? `${digest.lastReconciliation.missedCount} missed hook(s) at the reconciliation of ${digest.lastReconciliation.checkedAt}`
    : 'no reconciliation posted';
  return [
    `practice ${digest.practiceOds}: ${counts.length > 0 ? counts.join(', ') : 'no open encounters'}`,
    `${digest.unacknowledged.length} awaiting acknowledgement for over ${digest.unacknowledgedAfterDays} day(s)`,
    reconciliation,
  ].join('; ');
}
