/**
 * The practice digest from Temporal visibility: running encounters of the practice counted by ReportStatus, those
 * awaiting acknowledgement for longer than the configured days, and the practice's last reconciliation.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { REPORT_STATES } from '../../workflows/encounter-messages';
import { encounterIdFromWorkflowId } from '../../workflows/encounter-identity';
import type { PracticeDigest, PracticeDigestActivities, PracticeDigestInput, ReconciliationSummary } from '../../workflows/practice-digest-activities';
import { lastReconciliationQuery, practiceReconciliationWorkflowId } from '../../workflows/practice-reconciliation-workflow';
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
        lastReconciliation: await lastReconciliation(deps.temporal, input.practiceOds),
      };
    },
    deliverPracticeDigest: (digest) => deliverAlert(deps.alertSinks, { kind: 'practice-digest', practiceOds: digest.practiceOds, detail: digestLine(digest), digest }),
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
async function unacknowledged(temporal: Client, input: PracticeDigestInput, now: Date): Promise<string[]> {
  const cutoff = new Date(now.getTime() - input.unacknowledgedAfterDays * DAY_MS).toISOString();
  const query = practiceQuery(input.practiceOds, `ReportStatus = 'awaiting-acknowledgement'`, `StartTime < '${cutoff}'`);
  const ids: string[] = [];
  for await (const run of temporal.workflow.list({ query })) {
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
