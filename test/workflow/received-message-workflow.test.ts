/**
 * The workflow of one received message, against scripted activities on the time-skipping server: a rejected message
 * gets only its negative infrastructure answer and nothing is filed; an accepted one gets 20013, waits for the
 * clinical system (days pass), and after filing gets the business code PDS decides; a refusal sends its negative code;
 * "acknowledge on receipt" files at once (only a document whose patient PDS places here: another is refused with
 * its code); a second filing signal changes nothing; answers are sent exactly once.
 */
import { fileDocumentUpdate } from '../../workflows/received-document-filing';
import { Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { buildWorkflowBundle } from '../../worker/bundle';
import { createTimeSkippingEnv } from '../support/temporal';
import type {
  FilingOutcome,
  ReceivedAnswer,
  ReceivedMessageActivities,
  ReceivedMessageVerdict,
} from '../../workflows/received-message-activities';
import {
  messageDeliveredSignal,
  receivedMessageStageQuery,
  receivedMessageWorkflow,
} from '../../workflows/received-message-workflow';

const TASK_QUEUE = 'received-message-workflow-test';
const ANSWER_TO = {
  originalMessageHeaderId: 'ea7221b8-3cc0-4b11-bc95-585b056b5428',
  senderReference: '846ebe66-5ff8-4499-bc57-a112d3d0daa3',
  to: 'Y90001MB01',
  workflowId: 'GPFED_CONSULT_REPORT_ACK',
  format: 'xml' as const,
};

class World {
  verdict: ReceivedMessageVerdict = { outcome: 'accepted', answerTo: ANSWER_TO, practiceOds: 'Y90002' };
  mode: 'on-receipt' | 'when-filed' = 'when-filed';
  businessCode = '30001';
  answers: ReceivedAnswer[] = [];
  filings: FilingOutcome[] = [];
  accepted = 0;
  /** What later copies (another MESH message id) are decided as: a duplicate. */
  laterVerdict: ReceivedMessageVerdict = {
    outcome: 'rejected',
    answerTo: ANSWER_TO,
    code: '20007',
    diagnostics: 'a message with this MessageHeader id was received before',
  };
  decided: string[] = [];

  activities(): ReceivedMessageActivities {
    return {
      acceptReceivedMessage: async ({ meshMessageId }) => {
        this.decided.push(meshMessageId);
        if (this.decided.length > 1) return this.laterVerdict;
        this.accepted++;
        return this.verdict;
      },
      sendReceivedMessageAnswer: async (answer) => void this.answers.push(answer),
      filingSettingsOf: async () => ({ mode: this.mode, unfiledAlertAfterMs: 24 * 3_600_000 }),
      raiseReceivedDocumentAlert: async () => undefined,
      decideBusinessAnswer: async () => this.businessCode,
      recordFilingOutcome: async ({ filing }) => void this.filings.push(filing),
    };
  }
}

let env: TestWorkflowEnvironment;
let bundle: WorkflowBundleWithSourceMap;
let sequence = 0;

beforeAll(async () => {
  [env, bundle] = await Promise.all([createTimeSkippingEnv(), buildWorkflowBundle()]);
}, 120_000);
afterAll(() => env?.teardown());

async function run(world: World, drive: (handle: any) => Promise<void> = async () => undefined) {
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: TASK_QUEUE,
    workflowBundle: bundle,
    activities: world.activities(),
  });
  return worker.runUntil(async () => {
    const handle = await env.client.workflow.start(receivedMessageWorkflow, {
      taskQueue: TASK_QUEUE,
      workflowId: `received-test-${++sequence}`,
      args: [
        {
          mailbox: 'Y90002MB01',
          meshMessageId: `MESH-${sequence}`,
          meshWorkflowId: 'GPFED_CONSULT_REPORT',
          meshSender: 'Y90001MB01',
          receivedAt: '2026-11-20T14:00:00Z',
        },
      ],
    });
    await drive(handle);
    return handle.result();
  });
}

const codes = (world: World): string[] => world.answers.map((a) => a.code);

const copy = (meshMessageId: string) => ({
  mailbox: 'Y90002MB01',
  meshMessageId,
  meshWorkflowId: 'GPFED_CONSULT_REPORT',
  meshSender: 'Y90001MB01',
  receivedAt: '2026-11-20T15:00:00Z',
});

test('a rejected message gets its negative infrastructure code only, and nothing is filed', async () => {
  const world = new World();
  world.verdict = { outcome: 'rejected', answerTo: ANSWER_TO, code: '20004', diagnostics: 'attachment 2 …' };
  expect(await run(world)).toEqual({ infrastructureCode: '20004', duplicates: 0 });
  expect(codes(world)).toEqual(['20004']);
  expect(world.answers[0]).toMatchObject({
    mailbox: 'Y90002MB01',
    answerTo: ANSWER_TO,
    diagnostics: 'attachment 2 …',
  });
  expect(world.filings).toEqual([]);
});

test('accepted: 20013 at once, then waits for filing (days), then the business code PDS decides', async () => {
  const world = new World();
  world.businessCode = '30004';
  const result = await run(world, async (handle) => {
    await env.sleep('3 days');
    expect(await handle.query(receivedMessageStageQuery)).toBe('awaiting-filing');
    expect(codes(world)).toEqual(['20013']);
    await handle.executeUpdate(fileDocumentUpdate, { args: [{ outcome: 'filed' }] });
    // A second click is refused by the Update's validator and changes nothing.
    await expect(
      handle.executeUpdate(fileDocumentUpdate, { args: [{ outcome: 'rejected', code: '30002', reason: 'second click' }] }),
    ).rejects.toThrow();
  });
  expect(result).toEqual({ infrastructureCode: '20013', businessCode: '30004', duplicates: 0 });
  expect(codes(world)).toEqual(['20013', '30004']);
  expect(world.filings).toEqual([{ outcome: 'filed' }]);
  expect(world.accepted).toBe(1);
});

test('refused by the clinical system: its negative business code, without the typed reason', async () => {
  const world = new World();
  const result = await run(world, (handle) =>
    handle.executeUpdate(fileDocumentUpdate, { args: [{ outcome: 'rejected', code: '30003', reason: 'moved away in May' }] }),
  );
  expect(result).toEqual({ infrastructureCode: '20013', businessCode: '30003', duplicates: 0 });
  expect(world.answers[1]).toMatchObject({ code: '30003', diagnostics: 'refused by the receiving practice' });
  expect(JSON.stringify(world.answers)).not.toContain('May');
});

test('"acknowledge on receipt" files at once and answers 20013 then 30001', async () => {
  const world = new World();
  world.mode = 'on-receipt';
  expect(await run(world)).toEqual({ infrastructureCode: '20013', businessCode: '30001', duplicates: 0 });
  expect(codes(world)).toEqual(['20013', '30001']);
  expect(world.filings).toEqual([{ outcome: 'filed' }]);
});

test('"acknowledge on receipt" refuses, unfiled, a document whose patient PDS does not place here', async () => {
  const world = new World();
  world.mode = 'on-receipt';
  world.businessCode = '30002';
  expect(await run(world)).toEqual({ infrastructureCode: '20013', businessCode: '30002', duplicates: 0 });
  expect(codes(world)).toEqual(['20013', '30002']);
  expect(world.answers[1]?.diagnostics).toBe('the patient is not registered at this practice according to PDS');
  expect(world.filings).toEqual([
    { outcome: 'rejected', code: '30002', reason: 'the patient is not registered at this practice according to PDS' },
  ]);
});

test('a second copy while the first awaits filing: answered 20007 alone; the same copy again changes nothing', async () => {
  const world = new World();
  const result = await run(world, async (handle) => {
    await handle.signal(messageDeliveredSignal, copy(`MESH-${sequence}`)); // the first copy, signalled at its start
    await handle.signal(messageDeliveredSignal, copy('MESH-SECOND'));
    await handle.signal(messageDeliveredSignal, copy('MESH-SECOND')); // listed again: its acknowledgement failed
    await env.sleep('1 hour');
    expect(codes(world)).toEqual(['20013', '20007']);
    await handle.executeUpdate(fileDocumentUpdate, { args: [{ outcome: 'filed' }] });
  });
  expect(result).toEqual({ infrastructureCode: '20013', businessCode: '30001', duplicates: 1 });
  expect(codes(world)).toEqual(['20013', '20007', '30001']);
  expect(world.decided).toEqual([`MESH-${sequence}`, 'MESH-SECOND']);
  expect(world.filings).toEqual([{ outcome: 'filed' }]);
});

test('a copy an earlier run decided (MESH listed it again after that run closed): nothing is answered', async () => {
  const world = new World();
  world.verdict = { outcome: 'settled' };
  expect(await run(world)).toEqual({ duplicates: 0 });
  expect(world.answers).toEqual([]);
  expect(world.filings).toEqual([]);
});
