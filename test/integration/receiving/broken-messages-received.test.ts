/**
 * Broken variants of the 1.5.0 specification example, sent to Hillside Surgery's mailbox (Y90002) with NHS England's
 * mesh-client: a fault of the message itself is answered with its negative infrastructure code alone and nothing is
 * kept; a valid message about a patient PDS does not place here is answered 20013, then its negative business code,
 * and the document is not filed although the practice acknowledges on receipt.
 */
import { receivedMessageWorkflowId } from '../../../domain/received-message-identity';
import { until } from '../inbox/support/inbox-stack';
import {
  HILLSIDE_MAILBOX,
  federationForOutsideSender,
  answersInSenderMailbox,
  infrastructureFaults,
  patientFaults,
  sendWithMeshClient,
  type ReceivedAnswer,
} from './support/spec-messages';

const federation = federationForOutsideSender('fedreport-broken-');

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
    federation.stack.client.workflow.getHandle(workflowId).result(),
  );
  expect(result).toMatchObject({ infrastructureCode: message.code, duplicates: 0 });
  const [answer, ...more] = await answersTo(message.messageHeaderId, 1, message.code);
  expect(more).toEqual([]);
  expect(answer).toMatchObject({ code: message.code, positive: false, responderOdsCode: 'Y90002' });
  expect(answer!.diagnostics).not.toMatch(/999\d{7}|Smith|Richard|1957/);
  expect(await federation.stack.documentState(meshMessageId)).toBeUndefined();
});

test.each(patientFaults())('$name: answered 20013 then $code, not filed', async (message) => {
  const meshMessageId = await sendWithMeshClient(message, HILLSIDE_MAILBOX);
  expect(await federation.stack.receivedResult(HILLSIDE_MAILBOX, message.messageHeaderId)).toMatchObject({
    infrastructureCode: '20013',
    businessCode: message.code,
  });
  const received = await answersTo(message.messageHeaderId, 2);
  expect(received.map((a) => [a.code, a.positive])).toEqual([
    ['20013', true],
    [message.code, false],
  ]);
  expect(await federation.stack.documentState(meshMessageId)).not.toBe('filed');
});
