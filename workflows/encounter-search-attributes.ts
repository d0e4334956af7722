/**
 * What the encounter publishes to visibility: its status, practice and next action time, and the MessageHeader ids
 * the inbox routes acknowledgements by. Plaintext on the server, so only status words, ODS codes, times and UUIDs.
 */
import { upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import { reportState, type EncounterState } from './encounter-state';
import { NEXT_ACTION_TIME, PRACTICE_ODS, REPORT_MESSAGE_IDS, REPORT_STATUS } from './search-attributes';

/**
 * Lean runs (LEAN_ENCOUNTER_PATCH) upsert only what differs from what the server holds: each upsert is a history
 * event and a visibility write, and the hook already set the practice and the first status at start.
 */
export function publishEncounterAttributes(state: EncounterState, lean: boolean): void {
  const status = reportState(state);
  const next = state.nextActionTime === undefined ? null : new Date(state.nextActionTime);
  if (!lean) {
    upsertSearchAttributes({ [REPORT_STATUS.name]: [status], [NEXT_ACTION_TIME.name]: next === null ? [] : [next] });
    return;
  }
  const current = workflowInfo().typedSearchAttributes;
  const changed: SearchAttributeUpdatePair[] = [];
  if (current.get(PRACTICE_ODS) !== state.hostingPracticeOds) changed.push({ key: PRACTICE_ODS, value: state.hostingPracticeOds });
  if (current.get(REPORT_STATUS) !== status) changed.push({ key: REPORT_STATUS, value: status });
  if ((current.get(NEXT_ACTION_TIME)?.getTime() ?? null) !== (next?.getTime() ?? null)) changed.push({ key: NEXT_ACTION_TIME, value: next });
  if (changed.length > 0) upsertSearchAttributes(changed);
}

/** Runs recorded before LEAN_ENCOUNTER_PATCH set the practice themselves at start. */
export function publishPracticeAtStart(state: EncounterState): void {
  upsertSearchAttributes({ [PRACTICE_ODS.name]: [state.hostingPracticeOds] });
}

export function publishMessageIds(state: EncounterState): void {
  upsertSearchAttributes({ [REPORT_MESSAGE_IDS.name]: state.versions.map((v) => v.identity.messageHeaderId) });
}
