/**
 * A Send Document message kept at an earlier poll whose MESH acknowledgement failed (the copy is in the archive
 * database, the message still in MESH): the next poll hands the kept copy over without downloading it again, the
 * sender is answered 20013 once, and the message is acknowledged.
 */
import { receivedMessageWorkflowId } from '../../../domain/received-message-identity';
import { FieldEncryption } from '../../../integrations/store/field-encryption';
import { ReceivedDeliveryRepository } from '../../../integrations/store/received-delivery-repository';
import { TEST_KEYRING } from '../../support/codec';
import { until } from '../inbox/support/inbox-stack';
import {
  PRACTICE_MAILBOX,
  answersToSender,
  codesOf,
  deliver,
  receiverSettings,
  sendDocumentMessage,
  receiverTestFile,
} from './support/receiver-stack';

const receiver = receiverTestFile('handover-after-failed-acknowledgement');

it('the kept copy is handed over without a second download and answered once', async () => {
  await receiver.stack.stopWorker();
  const { body, messageHeaderId } = sendDocumentMessage();
  const meshMessageId = await deliver(receiver.stack, body);
  // What an earlier poll left behind when MESH refused its acknowledgement: the copy kept, the message in MESH.
  const deliveries = new ReceivedDeliveryRepository(receiver.db, new FieldEncryption(TEST_KEYRING, 'test-key-1'));
  const receivedMessageId = receivedMessageWorkflowId(PRACTICE_MAILBOX, { messageHeaderId });
  await deliveries.keep(
    { meshMessageId, mailbox: PRACTICE_MAILBOX, receivedMessageId, receivedAt: new Date() },
    body,
  );

  await receiver.stack.startWorker(receiverSettings());
  const answers = await answersToSender(receiver.stack, 1);
  await until('the message is acknowledged', async () =>
    (await receiver.stack.inbox(PRACTICE_MAILBOX)).includes(meshMessageId) ? undefined : true,
  );
  const { totals } = await receiver.stack.inboxStatus(PRACTICE_MAILBOX);
  expect(totals).toMatchObject({ documents: 1, downloaded: 0 });
  await new Promise((resolve) => setTimeout(resolve, 3_000)); // two more polls: nothing else comes
  expect(codesOf(await answersToSender(receiver.stack, 1, answers))).toEqual([['20013', messageHeaderId]]);
}, 150_000);
