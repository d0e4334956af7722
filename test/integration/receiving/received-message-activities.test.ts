/**
 * The received-message activities against real parts (mesh-sandbox, the PDS double): the 1.5.0 specification example
 * arriving in Hillside Surgery's mailbox is held and answered 20013 then 30001, both correlated with the original
 * and delivered to the sender's mailbox; a broken variant is answered with its code and nothing is held; a retried
 * answer after MESH took the first is not sent twice; a second copy of a message earns 20007. The document inbox
 * and the delivered copies are the archive database's (PostgreSQL).
 */
import { MockActivityEnvironment } from '@temporalio/testing';
import { archiveDocumentInbox } from '../../../activities/receiving/received-document-inbox';
import { createReceivedMessageActivities } from '../../../activities/receiving/received-message-activities';
import type { ArchiveDb } from '../../../integrations/store/database';
import { FieldEncryption } from '../../../integrations/store/field-encryption';
import { ReceivedDocumentRepository } from '../../../integrations/store/received-document-repository';
import { ReceivedDeliveryRepository } from '../../../integrations/store/received-delivery-repository';
import { KEYRING_BEFORE_ROTATION, openTestArchive } from '../../support/archive';
import { freshTestDatabase, type TestDatabase } from '../../support/databases';
import { meshMailboxes } from '../../../integrations/mesh/mailboxes';
import { createPdsClient } from '../../../integrations/pds/client';
import { startPdsDouble, type PdsDouble } from '../../../simulators/pds/server';
import type {
  AcceptRequest,
  ReceivedAnswer,
  ReceivedMessageVerdict,
} from '../../../workflows/received-message-activities';
import { meshTestConfig, resetMesh } from '../../support/mesh';
import { takeAcks } from '../receiving-practice/support';
import { EXAMPLE_NHS_NUMBER, SPEC_EXAMPLES, editedExample } from '../../unit/itk3/received-fixtures';

const SENDER = 'X26ABC1';
const RECEIVER = 'X26ABC2';
const ORIGINAL = 'ea7221b8-3cc0-4b11-bc95-585b056b5428';

let double: PdsDouble;
let database: TestDatabase;
let db: ArchiveDb;
let documents: ReceivedDocumentRepository;
let deliveries: ReceivedDeliveryRepository;
const mailboxes = meshMailboxes(meshTestConfig(SENDER));

beforeAll(async () => {
  double = await startPdsDouble();
  database = await freshTestDatabase('postgresql');
  db = await openTestArchive(database.url);
  const encryption = new FieldEncryption(KEYRING_BEFORE_ROTATION, 'k1');
  documents = new ReceivedDocumentRepository(db, encryption);
  deliveries = new ReceivedDeliveryRepository(db, encryption);
});
beforeEach(() => resetMesh());
afterAll(async () => {
  await double?.close();
  await db?.destroy();
  await database?.close();
});

async function setUp(body: Buffer, meshMessageId: string, receivedMessageId = `received-${meshMessageId}`) {
  const receivedAt = new Date('2026-11-20T14:00:00.000Z');
  await deliveries.keep({ meshMessageId, mailbox: RECEIVER, receivedMessageId, receivedAt }, body);
  const activities = createReceivedMessageActivities({
    deliveries,
    inbox: archiveDocumentInbox(documents),
    mailboxes,
    pds: createPdsClient({ baseUrl: double.url, timeoutMs: 5_000, auth: { mode: 'none' } }),
    practiceOfMailbox: async (mailbox) => (mailbox === RECEIVER ? 'Y90002' : undefined),
    filingSettingsOf: async () => ({ mode: 'when-filed', unfiledAlertAfterMs: 86_400_000 }),
    alertSinks: [],
  });
  const input: AcceptRequest = {
    mailbox: RECEIVER,
    meshMessageId,
    meshWorkflowId: 'GPFED_CONSULT_REPORT',
    meshSender: SENDER,
    receivedAt: receivedAt.toISOString(),
    receivedMessageId,
    runId: 'run-1',
  };
  const send = (answer: Omit<ReceivedAnswer, 'mailbox'>, attempt = 1) =>
    new MockActivityEnvironment({ attempt }).run(
      (a: ReceivedAnswer) => activities.sendReceivedMessageAnswer(a),
      {
        mailbox: RECEIVER,
        ...answer,
      },
    );
  return { activities, input, send };
}

function accepted(verdict: ReceivedMessageVerdict) {
  if (verdict.outcome !== 'accepted') throw new Error(`expected accepted, got ${verdict.outcome}`);
  return verdict;
}

const fromSender = (edit: (m: any) => void = () => undefined) =>
  editedExample(SPEC_EXAMPLES.v15, (m) => {
    m.entry[0].resource.source.endpoint = SENDER;
    edit(m);
  });

test('the 1.5.0 example is held, then answered 20013 and, after filing, 30001 in the sender mailbox', async () => {
  const { activities, input, send } = await setUp(fromSender(), 'MESH-1');
  const verdict = accepted(await activities.acceptReceivedMessage(input));
  expect(verdict).toMatchObject({ outcome: 'accepted', practiceOds: 'Y90002' });
  expect(JSON.stringify(verdict)).not.toContain(EXAMPLE_NHS_NUMBER);
  expect(await documents.stateOf('MESH-1')).toBe('held');
  expect(await documents.nhsNumberOf('MESH-1')).toBe(EXAMPLE_NHS_NUMBER);

  await send({ answerTo: verdict.answerTo, code: '20013', respondedAt: '2026-11-20T14:00:01.000Z' });
  const business = await activities.decideBusinessAnswer({
    mailbox: RECEIVER,
    meshMessageId: 'MESH-1',
    practiceOds: 'Y90002',
  });
  expect(business).toBe('30001');
  await send({ answerTo: verdict.answerTo, code: business, respondedAt: '2026-11-20T15:00:00.000Z' });

  const acks = await takeAcks(mailboxes.clientFor(SENDER));
  expect(
    acks.map((a) => [a.message.workflowId, a.response.code, a.response.originalMessageHeaderId]),
  ).toEqual([
    ['GPFED_CONSULT_REPORT_ACK', '20013', ORIGINAL],
    ['GPFED_CONSULT_REPORT_ACK', '30001', ORIGINAL],
  ]);
  expect(acks[0]?.response.responderOdsCode).toBe('Y90002');
}, 60_000);

test('a ZIP instead of the report PDF: rejected with 20009, nothing held', async () => {
  const { activities, input } = await setUp(
    fromSender(
      (m) =>
        (m.entry[2].resource.entry.find(
          (e: any) => e.resource.resourceType === 'Binary',
        ).resource.contentType = 'application/zip'),
    ),
    'MESH-2',
  );
  expect(await activities.acceptReceivedMessage(input)).toMatchObject({ outcome: 'rejected', code: '20009' });
  expect(await documents.stateOf('MESH-2')).toBeUndefined();
});

test('a retried answer after MESH took the first is not sent again', async () => {
  const { activities, input, send } = await setUp(fromSender(), 'MESH-3');
  const verdict = accepted(await activities.acceptReceivedMessage(input));
  const answer = { answerTo: verdict.answerTo, code: '20013', respondedAt: '2026-11-20T14:00:01.000Z' };
  await send(answer, 1);
  await send(answer, 2);
  expect(await takeAcks(mailboxes.clientFor(SENDER))).toHaveLength(1);
}, 60_000);

test('the first copy holds the claim: a second copy earns 20007, nothing held; a decided copy is settled for other runs', async () => {
  const first = await setUp(fromSender(), 'MESH-4', 'received-one-message');
  const second = await setUp(fromSender(), 'MESH-5', 'received-one-message');
  const verdict = accepted(await first.activities.acceptReceivedMessage(first.input));
  expect(await second.activities.acceptReceivedMessage(second.input)).toEqual({
    outcome: 'rejected',
    answerTo: verdict.answerTo,
    code: '20007',
    diagnostics: 'a message with this MessageHeader id was received before',
  });
  expect(await documents.stateOf('MESH-5')).toBeUndefined();
  expect(await deliveries.body('MESH-4')).toBeUndefined();
  // A retry of the deciding run gets the same decision; a later run (the copy listed again) has nothing to do.
  expect(await first.activities.acceptReceivedMessage(first.input)).toEqual(verdict);
  expect(await first.activities.acceptReceivedMessage({ ...first.input, runId: 'run-2' })).toEqual({
    outcome: 'settled',
  });
});
