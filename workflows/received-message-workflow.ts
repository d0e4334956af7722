/**
 * One received Send Document message (docs/receiving.md): validate and hold it, send the infrastructure answer, wait
 * until the document is filed (or rejected) by the practice's clinical system or at once when the practice
 * acknowledges on receipt, then send the business answer. A document that waits unfiled longer than the practice's
 * setting raises an operator alert, resolved when it is settled. The workflow id comes from the receiving mailbox and
 * the message's MessageHeader id (domain/received-message-identity.ts), so a duplicate delivery lands here again: the
 * inbox hands every copy over with `messageDelivered`, and each later copy is decided (20007) and answered alone.
 */
import {
  allHandlersFinished,
  condition,
  defineQuery,
  defineSignal,
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
import { filingOnReceipt, NOT_REGISTERED_HERE } from '../domain/business-answer';
import type {
  AnswerAddress,
  ReceivedMessageActivities,
  ReceivedMessageInput,
  ReceivedMessageVerdict,
  UnfiledDocumentAlert,
} from './received-message-activities';

const receiving = proxyActivities<ReceivedMessageActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '5 seconds', maximumInterval: '10 minutes' },
});

export const RECEIVED_MESSAGE_WORKFLOW_TYPE = 'receivedMessageWorkflow';

export type { ReceivedMessageStage } from './received-document-filing';

/** From the inbox (signal-with-start): a copy of this message arrived in MESH; the first one is the run's input too. */
export const messageDeliveredSignal = defineSignal<[ReceivedMessageInput]>('messageDelivered');

export const receivedMessageStageQuery = defineQuery<ReceivedMessageStage>('receivedMessageStage');

export interface ReceivedMessageResult {
  /** Absent when an earlier run had already decided this copy (MESH listed it again). */
  infrastructureCode?: string;
  businessCode?: string;
  /** Later copies of the message this run answered as duplicates. */
  duplicates: number;
}

export async function receivedMessageWorkflow(input: ReceivedMessageInput): Promise<ReceivedMessageResult> {
  let stage: ReceivedMessageStage = 'validating';
  let filing: FilingOutcome | undefined;
  let autoFiled = false;
  const copies = new LaterCopies(input);
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
  setHandler(messageDeliveredSignal, (copy) => copies.add(copy));

  const verdict = await decide(input);
  // Only after the first copy holds its claim: every later one is then a duplicate.
  const duplicates = answerLaterCopies(copies);
  const finish = async (result: Omit<ReceivedMessageResult, 'duplicates'>) => {
    copies.close();
    const answered = await duplicates;
    await condition(allHandlersFinished); // a filing command waiting for its answer gets it first
    return { ...result, duplicates: answered };
  };
  if (verdict.outcome === 'settled') {
    stage = 'settled';
    return finish({});
  }
  if (verdict.outcome === 'rejected') {
    stage = 'rejected';
    await answer(input, verdict.answerTo, verdict.code, verdict.diagnostics);
    return finish({ infrastructureCode: verdict.code });
  }
  // Held from here on: the clinical system may file it while the infrastructure answer goes out.
  stage = 'awaiting-filing';
  const { answerTo, practiceOds } = verdict;
  await answer(input, answerTo, '20013');

  const held = { mailbox: input.mailbox, meshMessageId: input.meshMessageId };
  const settings = await receiving.filingSettingsOf({ practiceOds });
  // On receipt, PDS decides before filing: a document about a patient who is not here is refused, not filed.
  let decided: string | undefined;
  if (settings.mode === 'on-receipt' && !filing) {
    decided = await receiving.decideBusinessAnswer({ ...held, practiceOds });
    // A refusal's code is 30002 or 30003 (businessAnswerFor); a command that came meanwhile counts first.
    autoFiled = filing === undefined;
    filing ??= filingOnReceipt(decided);
  }
  const unfiledAlert = unfiledAlertAbout(input, practiceOds, answerTo.senderReference);
  await waitForFiling(() => filing, settings.unfiledAlertAfterMs, unfiledAlert);
  const settled = filing as FilingOutcome;
  await receiving.recordFilingOutcome({ ...held, filing: settled });
  stage = settled.outcome === 'filed' ? 'filed' : 'refused';

  const businessCode =
    settled.outcome === 'filed'
      ? (decided ?? (await receiving.decideBusinessAnswer({ ...held, practiceOds })))
      : settled.code;
  const refusal =
    settled.outcome === 'rejected'
      ? autoFiled
        ? NOT_REGISTERED_HERE
        : 'refused by the receiving practice'
      : undefined;
  await answer(input, answerTo, businessCode, refusal);
  return finish({ infrastructureCode: '20013', businessCode });
}

/** Decides one copy under this workflow's id (the key duplicates share) and run (whose retries get the same). */
function decide(copy: ReceivedMessageInput): Promise<ReceivedMessageVerdict> {
  const { workflowId, runId } = workflowInfo();
  return receiving.acceptReceivedMessage({ ...copy, receivedMessageId: workflowId, runId });
}

function answer(
  copy: ReceivedMessageInput,
  answerTo: AnswerAddress,
  code: string,
  diagnostics?: string,
): Promise<void> {
  return receiving.sendReceivedMessageAnswer({
    mailbox: copy.mailbox,
    answerTo,
    code,
    diagnostics,
    respondedAt: now(),
  });
}

/** Each later copy gets its own answer (20007, decided durably); one settled by an earlier run gets none. */
async function answerLaterCopies(copies: LaterCopies): Promise<number> {
  let answered = 0;
  for (let copy = await copies.next(); copy; copy = await copies.next()) {
    const verdict = await decide(copy);
    // Never `accepted`: the run's first copy already holds the claim on this message.
    if (verdict.outcome !== 'rejected') continue;
    await answer(copy, verdict.answerTo, verdict.code, verdict.diagnostics);
    answered += 1;
  }
  return answered;
}

/** The copies handed over after the first, each MESH message once (the inbox hands a copy over again after a failed acknowledgement). */
class LaterCopies {
  private readonly seen: Set<string>;
  private readonly pending: ReceivedMessageInput[] = [];
  private closed = false;

  constructor(first: ReceivedMessageInput) {
    this.seen = new Set([first.meshMessageId]);
  }

  add(copy: ReceivedMessageInput): void {
    if (this.seen.has(copy.meshMessageId)) return;
    this.seen.add(copy.meshMessageId);
    this.pending.push(copy);
  }

  /** The next copy; undefined once the run is done and none is waiting. */
  async next(): Promise<ReceivedMessageInput | undefined> {
    await condition(() => this.pending.length > 0 || this.closed);
    return this.pending.shift();
  }

  close(): void {
    this.closed = true;
  }
}

/** The unfiled-document alert's subject: ids and ODS codes only, keyed by the message's workflow id. */
function unfiledAlertAbout(
  input: ReceivedMessageInput,
  practiceOds: string,
  encounterGuid: string,
): Omit<UnfiledDocumentAlert, 'status' | 'count' | 'detail'> {
  return {
    kind: 'document-unfiled',
    key: alertKey(workflowInfo().workflowId, 'document-unfiled'),
    practiceOds,
    mailbox: input.mailbox,
    meshMessageId: input.meshMessageId,
    encounterGuid,
  };
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
