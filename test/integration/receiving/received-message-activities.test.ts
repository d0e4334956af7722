/**
 * The received-message activities against real parts (mesh-sandbox, the PDS double): the 1.5.0 specification example
 * arriving in Hillside Surgery's mailbox is held and answered 20013 then 30001, both correlated with the original
 * and delivered to the sender's mailbox; a broken variant is answered with its code and nothing is held; a retried
 * answer after MESH took the first is not sent twice. The document inbox is the archive database's (PostgreSQL).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { archiveDocumentInbox } from '../../../activities/receiving/received-document-inbox';
import { createReceivedMessageActivities } from '../../../activities/receiving/received-message-activities';
import type { ArchiveDb } from '../../../integrations/store/database';
import { FieldEncryption } from '../../../integrations/store/field-encryption';
import { ReceivedDocumentRepository } from '../../../integrations/store/received-document-repository';
import { KEYRING_BEFORE_ROTATION, openTestArchive } from '../../support/archive';
import { freshTestDatabase, type TestDatabase } from '../../support/databases';
import { meshMailboxes } from '../../../integrations/mesh/mailboxes';
import { createPdsClient } from '../../../integrations/pds/client';
import { startPdsDouble, type PdsDouble } from '../../../simulators/pds/server';
import type { ReceivedAnswer, ReceivedMessageInput } from '../../../workflows/received-message-activities';
import { meshTestConfig, resetMesh } from '../../support/mesh';
import { takeAcks } from '../receiving-practice/support';
import { EXAMPLE_NHS_NUMBER, SPEC_EXAMPLES, editedExample } from '../../unit/itk3/received-fixtures';

const SENDER = 'X26ABC1';
const RECEIVER = 'X26ABC2';
const ORIGINAL = 'ea7221b8-3cc0-4b11-bc95-585b056b5428';

let double: PdsDouble;
let spoolDir: string;
let database: TestDatabase;
let db: ArchiveDb;
let documents: ReceivedDocumentRepository;
const mailboxes = meshMailboxes(meshTestConfig(SENDER));

beforeAll(async () => {
  double = await startPdsDouble();
  database = await freshTestDatabase('postgresql');
  db = await openTestArchive(database.url);
  documents = new ReceivedDocumentRepository(db, new FieldEncryption(KEYRING_BEFORE_ROTATION, 'k1'));
  spoolDir = fs.mkdtempSync(path.join(os.tmpdir(), 'received-'));
});
beforeEach(() => resetMesh());
afterAll(async () => {
  await double?.close();
  await db?.destroy();
  await database?.close();
  fs.rmSync(spoolDir, { recursive: true, force: true });
});

function setUp(body: Buffer, meshMessageId: string) {
  fs.writeFileSync(path.join(spoolDir, meshMessageId), body);
  const activities = createReceivedMessageActivities({
    readHeldBody: async ({ meshMessageId: id }) => fs.readFileSync(path.join(spoolDir, id)),
    inbox: archiveDocumentInbox(documents),
    mailboxes,
    pds: createPdsClient({ baseUrl: double.url, timeoutMs: 5_000, auth: { mode: 'none' } }),
    practiceOfMailbox: async (mailbox) => (mailbox === RECEIVER ? 'Y90002' : undefined),
    filingSettingsOf: async () => ({ mode: 'when-filed', unfiledAlertAfterMs: 86_400_000 }),
    alertSinks: [],
  });
  const input: ReceivedMessageInput = {
    mailbox: RECEIVER,
    meshMessageId,
    meshWorkflowId: 'GPFED_CONSULT_REPORT',
    meshSender: SENDER,
    receivedAt: '2026-11-20T14:00:00.000Z',
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

const fromSender = (edit: (m: any) => void = () => undefined) =>
  editedExample(SPEC_EXAMPLES.v15, (m) => {
    m.entry[0].resource.source.endpoint = SENDER;
    edit(m);
  });

test('the 1.5.0 example is held, then answered 20013 and, after filing, 30001 in the sender mailbox', async () => {
  const { activities, input, send } = setUp(fromSender(), 'MESH-1');
  const verdict = await activities.acceptReceivedMessage(input);
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
  const { activities, input } = setUp(
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
  const { activities, input, send } = setUp(fromSender(), 'MESH-3');
  const verdict = await activities.acceptReceivedMessage(input);
  const answer = { answerTo: verdict.answerTo, code: '20013', respondedAt: '2026-11-20T14:00:01.000Z' };
  await send(answer, 1);
  await send(answer, 2);
  expect(await takeAcks(mailboxes.clientFor(SENDER))).toHaveLength(1);
}, 60_000);
