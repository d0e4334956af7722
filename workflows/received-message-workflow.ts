/**
 * One received Send Document message (docs/receiving.md): validate and hold it, send the infrastructure answer, wait
 * until the document is filed (or rejected) by the practice's clinical system or at once when the practice
 * acknowledges on receipt, then send the business answer. The workflow id comes from the receiving mailbox and the
 * message's MessageHeader id (domain/received-message-identity.ts), so a duplicate delivery lands here again.
 */
import { condition, defineQuery, defineSignal, proxyActivities, setHandler } from '@temporalio/workflow';
import type {
  FilingOutcome,
  ReceivedMessageActivities,
  ReceivedMessageInput,
} from './received-message-activities';

const receiving = proxyActivities<ReceivedMessageActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '5 seconds', maximumInterval: '10 minutes' },
});

export const RECEIVED_MESSAGE_WORKFLOW_TYPE = 'receivedMessageWorkflow';

/** From the clinical system, through the document API or CLI: the document is filed, or refused with a 3xxxx code. */
export const documentFilingSignal = defineSignal<[FilingOutcome]>('documentFiling');

export type ReceivedMessageStage = 'validating' | 'rejected' | 'awaiting-filing' | 'filed' | 'refused';
export const receivedMessageStageQuery = defineQuery<ReceivedMessageStage>('receivedMessageStage');

export interface ReceivedMessageResult {
  infrastructureCode: string;
  businessCode?: string;
}

export async function receivedMessageWorkflow(input: ReceivedMessageInput): Promise<ReceivedMessageResult> {
  let stage: ReceivedMessageStage = 'validating';
  let filing: FilingOutcome | undefined;
  setHandler(receivedMessageStageQuery, () => stage);
  // The first outcome counts: a second click in the clinical system must not answer twice.
  setHandler(documentFilingSignal, (outcome) => void (filing ??= outcome));

  const verdict = await receiving.acceptReceivedMessage(input);
  if (verdict.outcome === 'rejected') {
    stage = 'rejected';
    await receiving.sendReceivedMessageAnswer({
      mailbox: input.mailbox,
      answerTo: verdict.answerTo,
      code: verdict.code,
      diagnostics: verdict.diagnostics,
      respondedAt: now(),
    });
    return { infrastructureCode: verdict.code };
  }
  const { answerTo, practiceOds } = verdict;
  await receiving.sendReceivedMessageAnswer({
    mailbox: input.mailbox,
    answerTo,
    code: '20013',
    respondedAt: now(),
  });

  stage = 'awaiting-filing';
  if ((await receiving.filingModeOf({ practiceOds })) === 'on-receipt') filing ??= { outcome: 'filed' };
  await condition(() => filing !== undefined);
  const settled = filing as FilingOutcome;
  const held = { mailbox: input.mailbox, meshMessageId: input.meshMessageId };
  await receiving.recordFilingOutcome({ ...held, filing: settled });
  stage = settled.outcome === 'filed' ? 'filed' : 'refused';

  const businessCode =
    settled.outcome === 'filed'
      ? await receiving.decideBusinessAnswer({ ...held, practiceOds })
      : settled.code;
  await receiving.sendReceivedMessageAnswer({
    mailbox: input.mailbox,
    answerTo,
    code: businessCode,
    diagnostics: settled.outcome === 'rejected' ? 'refused by the receiving practice' : undefined,
    respondedAt: now(),
  });
  return { infrastructureCode: '20013', businessCode };
}

/** Workflow time: deterministic on replay, so a retried answer is the same message. */
function now(): string {
  return new Date(Date.now()).toISOString();
}
