/**
 * The inbox keeps each answer it routes in the archive, linked to the sent message, against the real dev server,
 * mesh-sandbox and PostgreSQL: a positive ITK3 ack makes the message acknowledged, a negative one rejected, a MESH
 * REPORT undeliverable; an unreadable answer naming our message is kept as quarantined; and a message that fails
 * after it was archived is archived once however often the inbox polls it again.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createInboxActivities } from '../../../activities/inbox/process-inbox';
import { SentMessageDirectory } from '../../../activities/inbox/sent-message-directory';
import { buildDataConverter } from '../../../common/data-converter';
import { createLogger } from '../../../common/logger';
import { buildItk3Response, serialiseFhir } from '../../../integrations/itk3';
import { createMeshClient } from '../../../integrations/mesh/client';
import { meshMailboxes } from '../../../integrations/mesh/mailboxes';
import { encounterWorkflowId } from '../../../workflows/encounter-identity';
import { ENCOUNTER_WORKFLOW_TYPE } from '../../../workflows/encounter-messages';
import type { InboxPollSummary } from '../../../workflows/mesh-inbox-activities';
import { freshTestArchive, sendingCopy } from '../../support/archive';
import { TEST_KEYRING } from '../../support/codec';
import { addTestMailbox, injectReport, meshTestConfig, resetMesh } from '../../support/mesh';
import { testTemporal } from '../../support/servers';
import { terminateRunningInboxPollers } from '../../support/stray-workflows';

const SENDER = 'X26ARC1';
const PRACTICE = 'X26ABC2';
const NO_WORKER_QUEUE = 'inbox-archive-test-no-worker';

let client: Client;
let archive: Awaited<ReturnType<typeof freshTestArchive>>;
const directory = new SentMessageDirectory();
const started: string[] = [];

beforeAll(async () => {
  const { address, namespace } = testTemporal();
  client = new Client({
    connection: await Connection.connect({ address }),
    namespace,
    dataConverter: buildDataConverter(TEST_KEYRING),
  });
  await terminateRunningInboxPollers(client);
  await addTestMailbox(SENDER);
  archive = await freshTestArchive('postgresql');
});
beforeEach(async () => {
  await resetMesh(SENDER);
});
afterAll(async () => {
  for (const workflowId of started)
    await client.workflow
      .getHandle(workflowId)
      .terminate('test finished')
      .catch(() => undefined);
  await resetMesh(SENDER);
  await archive.close();
  await client?.connection.close();
});

/** A report the archive holds as sent, by an encounter that exists (`running`) or whose run cannot be found. */
async function archivedReport({
  running,
}: {
  running: boolean;
}): Promise<{ localId: string; meshMessageId: string }> {
  const copy = sendingCopy();
  const meshMessageId = `MESH-${crypto.randomUUID()}`;
  await archive.archive.recordSending(copy);
  await archive.archive.recordSent({ localId: copy.localId, meshMessageId, at: new Date() });
  const workflowId = encounterWorkflowId(copy.encounterGuid);
  if (running) {
    await client.workflow.start(ENCOUNTER_WORKFLOW_TYPE, {
      workflowId,
      taskQueue: NO_WORKER_QUEUE,
      args: [{ encounterId: copy.encounterGuid, hostingPracticeOds: 'Y90001' }],
    });
    started.push(workflowId);
  }
  directory.remember(copy.localId, workflowId);
  directory.rememberMeshMessage(meshMessageId, workflowId);
  return { localId: copy.localId, meshMessageId };
}

async function practiceAnswers(messageHeaderId: string, code: string): Promise<string> {
  const bundle = buildItk3Response({
    original: { messageHeaderId, senderReference: crypto.randomUUID() },
    responder: { odsCode: 'Y90002', mailboxId: PRACTICE },
    code,
    respondedAt: new Date(),
  });
  return practiceSends(serialiseFhir(bundle, 'xml'));
}

async function practiceSends(body: string, localId?: string): Promise<string> {
  const sent = await createMeshClient(meshTestConfig(PRACTICE)).send({
    to: SENDER,
    workflowId: 'GPFED_CONSULT_REPORT_ACK',
    body,
    contentType: 'application/fhir+xml',
    localId,
  });
  return sent.messageId;
}

/** One poll of the sender's inbox, run as Temporal runs the activity (no practice to restart an encounter at). */
function pollOnce(): Promise<InboxPollSummary> {
  const inbox = createInboxActivities({
    mailboxes: meshMailboxes(meshTestConfig(SENDER)),
    temporal: client,
    archive: archive.archive,
    quarantineDir: fs.mkdtempSync(path.join(os.tmpdir(), 'fedreport-quarantine-')),
    logger: createLogger('inbox-archive-test', 'silent'),
    sentMessages: directory,
    policy: { maxAttempts: 5 },
  });
  return new MockActivityEnvironment().run((input: { mailbox: string }) => inbox.processInbox(input), {
    mailbox: SENDER,
  });
}

const answersTo = async (localId: string) => (await archive.archive.show(localId))?.answers ?? [];

it('archives a positive ack against its message, which becomes acknowledged', async () => {
  const report = await archivedReport({ running: true });
  const ackId = await practiceAnswers(report.localId, '20013');
  expect(await pollOnce()).toMatchObject({ acknowledgements: 1 });
  const shown = await archive.archive.show(report.localId);
  expect(shown?.state).toBe('acknowledged');
  expect(shown?.answers).toMatchObject([
    { kind: 'itk3-acknowledgement', meshMessageId: ackId, code: '20013' },
  ]);
  expect(shown?.answers[0]?.body.toString('utf8')).toContain(report.localId);
});

it('makes the message rejected on a negative ack and undeliverable on a MESH REPORT', async () => {
  const rejected = await archivedReport({ running: true });
  const undeliverable = await archivedReport({ running: true });
  await practiceAnswers(rejected.localId, '10003');
  const reportId = await injectReport({
    mailbox: SENDER,
    code: '14',
    description: 'undelivered',
    workflowId: 'GPFED_CONSULT_REPORT',
    linkedMessageId: undeliverable.meshMessageId,
    localId: undeliverable.localId,
  });
  expect(await pollOnce()).toMatchObject({ acknowledgements: 1, reports: 1 });
  expect((await archive.archive.show(rejected.localId))?.state).toBe('rejected');
  const shown = await archive.archive.show(undeliverable.localId);
  expect(shown?.state).toBe('undeliverable');
  expect(shown?.answers).toMatchObject([{ kind: 'mesh-report', meshMessageId: reportId, code: '14' }]);
});

it('archives an unreadable answer carrying our local id as quarantined', async () => {
  const report = await archivedReport({ running: true });
  const answerId = await practiceSends('not FHIR at all', report.localId);
  expect(await pollOnce()).toMatchObject({ quarantined: 1 });
  const shown = await archive.archive.show(report.localId);
  expect(shown?.answers).toMatchObject([
    { kind: 'quarantined', meshMessageId: answerId, code: 'unreadable' },
  ]);
  expect(shown?.state).toBe('sent');
});

it('archives a message that fails after archiving once, however often it is polled, and the others still go', async () => {
  const stuck = await archivedReport({ running: false });
  const fine = await archivedReport({ running: true });
  await practiceAnswers(stuck.localId, '20013');
  await practiceAnswers(fine.localId, '20013');
  expect(await pollOnce()).toMatchObject({ acknowledgements: 1, retrying: 1 });
  expect(await pollOnce()).toMatchObject({ retrying: 1 });
  expect(await answersTo(stuck.localId)).toHaveLength(1);
  expect(await answersTo(fine.localId)).toHaveLength(1);
  expect((await createMeshClient(meshTestConfig(SENDER)).listInboxPage()).messageIds).toHaveLength(1);
});
