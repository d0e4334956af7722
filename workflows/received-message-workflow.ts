/**
 * One received Send Document message (docs/receiving.md): validate and hold it, send the infrastructure answer, wait
 * until the document is filed (or rejected) by the practice's clinical system or at once when the practice
 * acknowledges on receipt, then send the business answer. A document that waits unfiled longer than the practice's
 * setting raises an operator alert, resolved when it is settled. The workflow id comes from the receiving mailbox and
 * the message's MessageHeader id (domain/received-message-identity.ts), so a duplicate delivery lands here again.
 */
import {
  allHandlersFinished,
  condition,
  defineQuery,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { alertKey } from '../domain/alerts';
import { parseFilingOutcome, type FilingOutcome } from '../domain/document-filing';
import {
  SETTLED_STAGES,
  fileDocumentUpdate,
  filingAnswer,
  filingRefusal,
  type ReceivedMessageStage,
} from './received-document-filing';
import type {
  ReceivedMessageActivities,
  ReceivedMessageInput,
  UnfiledDocumentAlert,
} from './received-message-activities';

const receiving = proxyActivities<ReceivedMessageActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '5 seconds', maximumInterval: '10 minutes' },
});

export const RECEIVED_MESSAGE_WORKFLOW_TYPE = 'receivedMessageWorkflow';

export type { ReceivedMessageStage } from './received-document-filing';
export const receivedMessageStageQuery = defineQuery<ReceivedMessageStage>('receivedMessageStage');

export interface ReceivedMessageResult {
  infrastructureCode: string;
  businessCode?: string;
}

export async function receivedMessageWorkflow(input: ReceivedMessageInput): Promise<ReceivedMessageResult> {
  let stage: ReceivedMessageStage = 'validating';
  let filing: FilingOutcome | undefined;
  let autoFiled = false;
  setHandler(receivedMessageStageQuery, () => stage);
  setHandler(
    fileDocumentUpdate,
    async (outcome) => {
      filing = outcome;
      // Answered once the document inbox says so, so the clinical system's next list no longer shows it as new.
      await condition(() => SETTLED_STAGES.has(stage));
      return filingAnswer(stage);
    },
    {
      validator: (outcome: FilingOutcome) => {
        parseFilingOutcome(outcome); // names the field at fault; a client may skip the API's check
        const refusal = filingRefusal(stage, filing, autoFiled);
        if (refusal) throw new Error(refusal);
      },
    },
  );

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
    await condition(allHandlersFinished);
    return { infrastructureCode: verdict.code };
  }
  // Held from here on: the clinical system may file it while the infrastructure answer goes out.
  stage = 'awaiting-filing';
  const { answerTo, practiceOds } = verdict;
  await receiving.sendReceivedMessageAnswer({
    mailbox: input.mailbox,
    answerTo,
    code: '20013',
    respondedAt: now(),
  });

  const settings = await receiving.filingSettingsOf({ practiceOds });
  if (settings.mode === 'on-receipt' && !filing) {
    filing = { outcome: 'filed' };
    autoFiled = true;
  }
  const unfiledAlert = {
    kind: 'document-unfiled' as const,
    key: alertKey(workflowInfo().workflowId, 'document-unfiled'),
    practiceOds,
    mailbox: input.mailbox,
    meshMessageId: input.meshMessageId,
    encounterGuid: answerTo.senderReference,
  };
  await waitForFiling(() => filing, settings.unfiledAlertAfterMs, unfiledAlert);
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
  await condition(allHandlersFinished);
  return { infrastructureCode: '20013', businessCode };
}

/** Waits for the outcome; past `alertAfterMs` an operator alert opens, resolved when the outcome comes. */
async function waitForFiling(
  settled: () => FilingOutcome | undefined,
  alertAfterMs: number,
  alert: Omit<UnfiledDocumentAlert, 'status' | 'count' | 'detail'>,
): Promise<void> {
  if (await condition(() => settled() !== undefined, alertAfterMs)) return;
  const waited = `more than ${Math.round(alertAfterMs / 60_000)} minute(s)`;
  await receiving.raiseReceivedDocumentAlert({
    ...alert,
    status: 'open',
    count: 1,
    detail: `received document ${alert.meshMessageId} has waited unfiled for ${waited}`,
  });
  await condition(() => settled() !== undefined);
  await receiving.raiseReceivedDocumentAlert({
    ...alert,
    status: 'resolved',
    count: 1,
    detail: `received document ${alert.meshMessageId} is ${settled()?.outcome === 'filed' ? 'filed' : 'rejected'}`,
  });
}

/** Workflow time: deterministic on replay, so a retried answer is the same message. */
function now(): string {
  return new Date(Date.now()).toISOString();
}
