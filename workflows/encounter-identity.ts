/**
 * Identity of the encounter workflow. The id is the clinical system's encounter GUID (no PHI), so the hook, the
 * inbox workflow and operators all reach the same workflow without a lookup table.
 */
export const ENCOUNTER_TASK_QUEUE = 'fedreport-encounters';
const PREFIX = 'encounter-';

export function encounterWorkflowId(encounterId: string): string {
  return `${PREFIX}${encounterId.toLowerCase()}`;
}

/** The encounter GUID behind a workflow id, or null when the id is not an encounter workflow's. */
export function encounterIdFromWorkflowId(workflowId: string): string | null {
  return workflowId.startsWith(PREFIX) ? workflowId.slice(PREFIX.length) : null;
}
