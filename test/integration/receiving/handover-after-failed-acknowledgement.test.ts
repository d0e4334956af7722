/**
 * A Send Document message kept at an earlier poll whose MESH acknowledgement failed (the copy is in the archive
 * database, the message still in MESH): the next poll hands the kept copy over without downloading it again, the
 * sender is answered 20013 once, and the message is acknowledged.
 */
import { receivedMessageWorkflowId } from '../../../domain/received-message-identity';
import { FieldEncryption } from '../../../integrations/store/field-encryption';
import type { ArchiveDb } from '../../../integrations/store/database';
import { ReceivedDeliveryRepository } from '../../../integrations/store/received-delivery-repository';
import { openTestArchive } from '../../support/archive';
import { TEST_KEYRING } from '../../support/codec';
import { sharedTestArchiveUrl } from '../../support/databases';
import { until, type InboxStack } from '../inbox/support/inbox-stack';
import {
  PRACTICE_MAILBOX,
  answersToSender,
  codesOf,
  deliver,
  receiverSettings,
  sendDocumentMessage,
  startReceiverStack,
} from './support/receiver-stack';

let stack: InboxStack;
let db: ArchiveDb;

beforeAll(async () => {
  stack = await startReceiverStack('handover-after-failed-acknowledgement');
  db = await openTestArchive(sharedTestArchiveUrl());
}, 180_000);
afterAll(async () => {
  await db?.destroy();
  await stack?.close();
}, 60_000);

it('the kept copy is handed over without a second download and answered once', async () => {
  await stack.stopWorker();
  const { body, messageHeaderId } = sendDocumentMessage();
  const meshMessageId = await deliver(stack, body);
  // What an earlier poll left behind when MESH refused its acknowledgement: the copy kept, the message in MESH.
  const deliveries = new ReceivedDeliveryRepository(db, new FieldEncryption(TEST_KEYRING, 'test-key-1'));
  const receivedMessageId = receivedMessageWorkflowId(PRACTICE_MAILBOX, { messageHeaderId });
  await deliveries.keep(
    { meshMessageId, mailbox: PRACTICE_MAILBOX, receivedMessageId, receivedAt: new Date() },
    body,
  );

  await stack.startWorker(receiverSettings());
  const answers = await answersToSender(stack, 1);
  await until('the message is acknowledged', async () =>
    (await stack.inbox(PRACTICE_MAILBOX)).includes(meshMessageId) ? undefined : true,
  );
  const { totals } = await stack.inboxStatus(PRACTICE_MAILBOX);
  expect(totals).toMatchObject({ documents: 1, downloaded: 0 });
  await new Promise((resolve) => setTimeout(resolve, 3_000)); // two more polls: nothing else comes
  expect(codesOf(await answersToSender(stack, 1, answers))).toEqual([['20013', messageHeaderId]]);
}, 150_000);
