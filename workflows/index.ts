// The workflow bundle's entry point: every workflow type the worker registers.
export { encounterWorkflow } from './encounter-workflow';
export { meshInboxWorkflow } from './mesh-inbox-workflow';
export { practiceDigestWorkflow } from './practice-digest-workflow';
export { practiceReconciliationWorkflow } from './practice-reconciliation-workflow';
export { archivePurgeWorkflow } from './archive-purge-workflow';
