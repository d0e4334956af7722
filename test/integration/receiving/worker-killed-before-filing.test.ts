/**
 * A worker killed (SIGKILL) after the infrastructure answer went out and before the document was filed: a new worker
 * process takes the received message's workflow over, the filing goes through, and the sender's mailbox holds exactly
 * one 20013 and one 30001 (nothing lost, nothing answered twice); the document is held once and filed.
 */
import { fileDocumentUpdate } from '../../../workflows/received-document-filing';
import { sql } from 'kysely';
import {
  receivedMessageStageQuery,
} from '../../../workflows/received-message-workflow';
import type { ReceivedAck } from '../receiving-practice/support';
import {
  answersToSender,
  codesOf,
  deliver,
  receivedWorkflow,
  receiverSettings,
  sendDocumentMessage,
  receiverTestFile,
} from './support/receiver-stack';

const receiver = receiverTestFile('worker-killed');

async function killWorker(): Promise<void> {
  const child = receiver.stack.worker!.child;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

it('killed between the 20013 and filing: a new worker files it, one 20013 and one 30001 reach the sender', async () => {
  const { body, messageHeaderId } = sendDocumentMessage();
  const answers: ReceivedAck[] = [];
  await deliver(receiver.stack, body);
  await answersToSender(receiver.stack, 1, answers);
  const handle = receivedWorkflow(receiver.stack.client, messageHeaderId);
  await killWorker();

  await receiver.stack.startWorker(receiverSettings());
  expect(await handle.query(receivedMessageStageQuery)).toBe('awaiting-filing');
  await handle.executeUpdate(fileDocumentUpdate, { args: [{ outcome: 'filed' }] });
  expect(await handle.result()).toEqual({
    infrastructureCode: '20013',
    businessCode: '30001',
    duplicates: 0,
  });
  await answersToSender(receiver.stack, 2, answers);
  await new Promise((resolve) => setTimeout(resolve, 3_000)); // two more polls: nothing else comes
  expect(codesOf(await answersToSender(receiver.stack, 2, answers))).toEqual([
    ['20013', messageHeaderId],
    ['30001', messageHeaderId],
  ]);
  const { rows } = await sql<{ state: string }>`
    select state from received_messages where local_id = ${messageHeaderId}`.execute(receiver.db);
  expect(rows).toEqual([{ state: 'filed' }]);
}, 150_000);
