/**
 * The same Send Document message delivered twice and three times (separate MESH messages, one MessageHeader id) to
 * the worker process's receiver: the document is held and filed once; the sender gets 20013 and the business answer
 * for the first copy and 20007 (ITK3 "duplicate message") for each later copy, whether it came while the first was
 * awaiting filing or after its workflow had closed (the claim is in the archive database); nothing else.
 */
import { fileDocumentUpdate } from '../../../workflows/received-document-filing';
import { sql } from 'kysely';
import type { ReceivedAck } from '../receiving-practice/support';
import {
  PRACTICE_MAILBOX,
  answersToSender,
  codesOf,
  deliver,
  receivedWorkflow,
  sendDocumentMessage,
  receiverTestFile,
} from './support/receiver-stack';

const receiver = receiverTestFile('duplicate-delivery');

async function heldDocuments(messageHeaderId: string) {
  const { rows } = await sql<{ state: string }>`
    select state from received_messages where local_id = ${messageHeaderId}`.execute(receiver.db);
  return rows.map((r) => r.state);
}

it('later copies are answered 20007 alone, during the first copy’s workflow and after it closed; one document filed', async () => {
  const { body, messageHeaderId } = sendDocumentMessage();
  const answers: ReceivedAck[] = [];
  const handle = receivedWorkflow(receiver.stack.client, messageHeaderId);
  const first = await deliver(receiver.stack, body);
  await answersToSender(receiver.stack, 1, answers);

  const second = await deliver(receiver.stack, body);
  await answersToSender(receiver.stack, 2, answers);
  await handle.executeUpdate(fileDocumentUpdate, { args: [{ outcome: 'filed' }] });
  expect(await handle.result()).toEqual({
    infrastructureCode: '20013',
    businessCode: '30001',
    duplicates: 1,
  });
  await answersToSender(receiver.stack, 3, answers);

  const third = await deliver(receiver.stack, body); // the first copy's workflow has closed: a new run finds the claim
  await answersToSender(receiver.stack, 4, answers);
  expect(await receivedWorkflow(receiver.stack.client, messageHeaderId).result()).toEqual({
    infrastructureCode: '20007',
    duplicates: 0,
  });

  expect(codesOf(answers)).toEqual([
    ['20013', messageHeaderId],
    ['20007', messageHeaderId],
    ['30001', messageHeaderId],
    ['20007', messageHeaderId],
  ]);
  expect(answers[1]?.response.diagnostics).toBe('a message with this MessageHeader id was received before');
  expect(await heldDocuments(messageHeaderId)).toEqual(['filed']);
  for (const copy of [first, second, third]) expect(await receiver.stack.inbox(PRACTICE_MAILBOX)).not.toContain(copy);
  await new Promise((resolve) => setTimeout(resolve, 3_000)); // two more polls
  expect(await answersToSender(receiver.stack, 4, answers)).toHaveLength(4);
}, 150_000);
