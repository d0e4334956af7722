/**
 * The clinical system's filing command for one received document, as a Workflow Update (commands in this project are
 * Updates with validators, as workflows/operator-commands.ts): the validator checks the command's contract and
 * refuses one that cannot apply, with the reason (the API answers 409 with it), so a second or late command changes
 * nothing; accepted, the update answers once the outcome is recorded in the document inbox. A command may come while
 * the message is still being validated (the inbox shows a document once it is held, a moment before): it waits.
 */
import { ApplicationFailure, defineUpdate } from '@temporalio/workflow';
import type { FilingOutcome } from '../domain/document-filing';

/** `settled`: an earlier run already decided this copy (MESH listed it again): nothing more happens in this run. */
export type ReceivedMessageStage =
  | 'validating'
  | 'rejected'
  | 'awaiting-filing'
  | 'filed'
  | 'refused'
  | 'settled';

export interface FilingAccepted {
  /** The document's state once the outcome is recorded. */
  stage: 'filed' | 'refused';
}

export const fileDocumentUpdate = defineUpdate<FilingAccepted, [FilingOutcome]>('fileDocument');

/** Why a filing command cannot apply now, or undefined when it can. Pure. */
export function filingRefusal(
  stage: ReceivedMessageStage,
  settled: FilingOutcome | undefined,
  autoFiled: boolean,
): string | undefined {
  if (stage === 'rejected') return 'the message was rejected on receipt: there is no document to file';
  if (stage === 'settled') return 'this copy was decided by an earlier run: nothing to file here';
  if (!settled) return undefined;
  if (settled.outcome === 'rejected') return `the document was already rejected (${settled.code})`;
  return autoFiled
    ? 'the document was already filed on receipt (the practice acknowledges on receipt)'
    : 'the document was already filed';
}

/** What an accepted command answers once the workflow has settled: the recorded state, or the rejection on receipt. */
export function filingAnswer(stage: ReceivedMessageStage): FilingAccepted {
  if (stage === 'filed' || stage === 'refused') return { stage };
  throw ApplicationFailure.nonRetryable(
    filingRefusal(stage, undefined, false) ?? 'there is no document to file',
    'NoDocumentToFile',
  );
}

/** The stages after which a command has its answer. */
export const SETTLED_STAGES: ReadonlySet<ReceivedMessageStage> = new Set([
  'rejected',
  'filed',
  'refused',
  'settled',
]);
