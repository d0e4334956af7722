/**
 * Broken variants of the 1.5.0 specification example, sent to Hillside Surgery's mailbox (Y90002) with NHS England's
 * mesh-client: a fault of the message itself is answered with its negative infrastructure code alone and nothing is
 * kept; a valid message about a patient PDS does not place here is answered 20013, then its negative business code,
 * and the document is not filed although the practice acknowledges on receipt.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { receivedMessageWorkflowId } from '../../../domain/received-message-identity';
import { addTestMailbox, resetMesh } from '../../support/mesh';
import { until } from '../inbox/support/inbox-stack';
import { FederationStack } from './support/federation-stack';
import {
  OUTSIDE_SENDER,
  answersInSenderMailbox,
  infrastructureFaults,
  patientFaults,
  sendWithMeshClient,
  type ReceivedAnswer,
} from './support/spec-messages';

const HILLSIDE_MAILBOX = 'X26ABC2';

let stack: FederationStack;
beforeAll(async () => {
  await addTestMailbox(OUTSIDE_SENDER);
  await resetMesh(OUTSIDE_SENDER);
  await resetMesh(HILLSIDE_MAILBOX);
  stack = await FederationStack.start(fs.mkdtempSync(path.join(os.tmpdir(), 'fedreport-broken-')));
}, 180_000);
afterAll(() => stack?.close());

const answers: ReceivedAnswer[] = [];
/** The answers to one message, once `count` have arrived (an unreadable message is told apart by its code). */
async function answersTo(messageHeaderId: string, count: number, code?: string): Promise<ReceivedAnswer[]> {
  return until(`${count} answers to ${messageHeaderId}`, async () => {
    answers.push(...(await answersInSenderMailbox()));
    const mine = answers.filter(
      (a) => a.originalMessageHeaderId === messageHeaderId && (code === undefined || a.code === code),
    );
    return mine.length >= count ? mine : undefined;
  });
}

test.each(infrastructureFaults())('$name: answered $code alone, nothing kept', async (message) => {
  const meshMessageId = await sendWithMeshClient(message, HILLSIDE_MAILBOX);
  const workflowId =
    message.messageHeaderId === 'UNREADABLE-IN-ORIGINAL-MESSAGE'
      ? receivedMessageWorkflowId(HILLSIDE_MAILBOX, { meshMessageId })
      : receivedMessageWorkflowId(HILLSIDE_MAILBOX, { messageHeaderId: message.messageHeaderId });
  const result = await until('the received message settles', () =>
    stack.client.workflow.getHandle(workflowId).result(),
  );
  expect(result).toMatchObject({ infrastructureCode: message.code, duplicates: 0 });
  const [answer, ...more] = await answersTo(message.messageHeaderId, 1, message.code);
  expect(more).toEqual([]);
  expect(answer).toMatchObject({ code: message.code, positive: false, responderOdsCode: 'Y90002' });
  expect(answer!.diagnostics).not.toMatch(/999\d{7}|Smith|Richard|1957/);
  expect(await stack.documentState(meshMessageId)).toBeUndefined();
});

test.each(patientFaults())('$name: answered 20013 then $code, not filed', async (message) => {
  const meshMessageId = await sendWithMeshClient(message, HILLSIDE_MAILBOX);
  expect(await stack.receivedResult(HILLSIDE_MAILBOX, message.messageHeaderId)).toMatchObject({
    infrastructureCode: '20013',
    businessCode: message.code,
  });
  const received = await answersTo(message.messageHeaderId, 2);
  expect(received.map((a) => [a.code, a.positive])).toEqual([
    ['20013', true],
    [message.code, false],
  ]);
  expect(await stack.documentState(meshMessageId)).not.toBe('filed');
});
