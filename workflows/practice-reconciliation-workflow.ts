/**
 * Keeps the last completeness reconciliation of one practice, so the daily digest can report its missed hooks: the
 * API signals each result (signal-with-start), the digest activity queries it. Continues as new every so often.
 */
import { condition, continueAsNew, defineQuery, defineSignal, setHandler } from '@temporalio/workflow';
import type { ReconciliationSummary } from './practice-digest-activities';

export const reconciliationRecordedSignal = defineSignal<[ReconciliationSummary]>('reconciliationRecorded');
export const lastReconciliationQuery = defineQuery<ReconciliationSummary | null>('lastReconciliation');

export const PRACTICE_RECONCILIATION_WORKFLOW_TYPE = 'practiceReconciliationWorkflow';
const RECORDS_PER_RUN = 500;

export function practiceReconciliationWorkflowId(practiceOds: string): string {
  return `practice-reconciliation-${practiceOds.toUpperCase()}`;
}

export async function practiceReconciliationWorkflow(last: ReconciliationSummary | null = null): Promise<void> {
  let latest = last;
  let recorded = 0;
  setHandler(reconciliationRecordedSignal, (summary) => {
    if (!latest || summary.checkedAt >= latest.checkedAt) latest = summary;
    recorded += 1;
  });
  setHandler(lastReconciliationQuery, () => latest);
  await condition(() => recorded >= RECORDS_PER_RUN);
  await continueAsNew<typeof practiceReconciliationWorkflow>(latest);
}
