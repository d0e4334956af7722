/**
 * How the inbox finds the encounter an ITK3 acknowledgement answers, against the real dev server and mesh-sandbox:
 * from the directory of reports this worker sent, or, when the worker does not know the message (another worker sent
 * it, or this one restarted since), from the encounter's ReportMessageIds search attribute. Either way the encounter
 * receives the signal and only then is the message acknowledged in MESH.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { MockActivityEnvironment } from '@temporalio/testing';
import { meshMailboxes } from '../../../integrations/mesh/mailboxes';
import { createInboxActivities } from '../../../activities/inbox/process-inbox';
import { SentMessageDirectory } from '../../../activities/inbox/sent-message-directory';
import { buildItk3Response, serialiseFhir } from '../../../integrations/itk3';
import { createMeshClient } from '../../../integrations/mesh/client';
import { buildDataConverter } from '../../../common/data-converter';
import { createLogger } from '../../../common/logger';
import { encounterWorkflowId } from '../../../workflows/encounter-identity';
import { ENCOUNTER_WORKFLOW_TYPE } from '../../../workflows/encounter-messages';
import type { InboxPollSummary } from '../../../workflows/mesh-inbox-activities';
import { REPORT_MESSAGE_IDS } from '../../../workflows/search-attributes';
import { TEST_KEYRING } from '../../support/codec';
import { openSharedTestArchive } from '../../support/archive';
import type { OpenArchive } from '../../../integrations/store/open-archive';
import { meshTestConfig, resetMesh } from '../../support/mesh';
import { testTemporal } from '../../support/servers';
import { terminateRunningInboxPollers } from '../../support/stray-workflows';

const SENDER = 'X26ABC3';
const PRACTICE = 'X26ABC2';
/** No worker polls it: the encounters only need to exist and record the signals they are sent. */
const NO_WORKER_QUEUE = 'inbox-routing-test-no-worker';

let client: Client;
let archive: OpenArchive;
const started: string[] = [];

beforeAll(async () => {
  const { address, namespace } = testTemporal();
  client = new Client({
    connection: await Connection.connect({ address }),
    namespace,
    dataConverter: buildDataConverter(TEST_KEYRING),
  });
  await terminateRunningInboxPollers(client);
  await resetMesh(SENDER);
  archive = await openSharedTestArchive(TEST_KEYRING);
});

afterAll(async () => {
  for (const workflowId of started)
    await client.workflow
      .getHandle(workflowId)
      .terminate('test finished')
      .catch(() => undefined);
  await resetMesh(SENDER);
  await archive?.close();
  await client?.connection.close();
});

/** An encounter that sent a report with this MessageHeader id; with the search attribute only if `searchable`. */
async function encounterThatSent(
  messageHeaderId: string,
  { searchable }: { searchable: boolean },
): Promise<string> {
  const encounterId = crypto.randomUUID();
  const workflowId = encounterWorkflowId(encounterId);
  await client.workflow.start(ENCOUNTER_WORKFLOW_TYPE, {
    workflowId,
    taskQueue: NO_WORKER_QUEUE,
    args: [{ encounterId, hostingPracticeOds: 'Y90001' }],
    ...(searchable && { typedSearchAttributes: [{ key: REPORT_MESSAGE_IDS, value: [messageHeaderId] }] }),
  });
  started.push(workflowId);
  return workflowId;
}

/** The registered practice's infrastructure ack (20013) for the report, sent to the sender's mailbox. */
async function practiceAcknowledges(messageHeaderId: string): Promise<void> {
  const bundle = buildItk3Response({
    original: { messageHeaderId, senderReference: crypto.randomUUID() },
    responder: { odsCode: 'Y90002', mailboxId: PRACTICE },
    code: '20013',
    respondedAt: new Date(),
  });
  await createMeshClient(meshTestConfig(PRACTICE)).send({
    to: SENDER,
    workflowId: 'GPFED_CONSULT_REPORT_ACK',
    body: serialiseFhir(bundle, 'xml'),
    contentType: 'application/fhir+xml',
  });
}

/** One poll of the sender's inbox, run as Temporal runs the activity. */
function pollOnce(directory: SentMessageDirectory): Promise<InboxPollSummary> {
  const inbox = createInboxActivities({
    mailboxes: meshMailboxes(meshTestConfig(SENDER)),
    temporal: client,
    archive: archive.repository,
    quarantineDir: fs.mkdtempSync(path.join(os.tmpdir(), 'fedreport-quarantine-')),
    logger: createLogger('inbox-routing-test', 'silent'),
    sentMessages: directory,
  });
  return new MockActivityEnvironment().run((input: { mailbox: string }) => inbox.processInbox(input), {
    mailbox: SENDER,
  });
}

/** Polls as the inbox workflow would, until a poll routed an acknowledgement (visibility may lag a fresh start). */
async function pollUntilRouted(directory: SentMessageDirectory): Promise<InboxPollSummary> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const summary = await pollOnce(directory);
    if (summary.acknowledgements > 0 || Date.now() > deadline) return summary;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function signalsReceived(workflowId: string): Promise<string[]> {
  const events = (await client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
  return events.flatMap((event) =>
    event.workflowExecutionSignaledEventAttributes?.signalName
      ? [event.workflowExecutionSignaledEventAttributes.signalName]
      : [],
  );
}

async function senderInbox(): Promise<string[]> {
  return (await createMeshClient(meshTestConfig(SENDER)).listInboxPage()).messageIds;
}

it('routes an ack for a report another worker sent through the search attribute, and then remembers it', async () => {
  const messageHeaderId = crypto.randomUUID();
  const workflowId = await encounterThatSent(messageHeaderId, { searchable: true });
  await practiceAcknowledges(messageHeaderId);
  const directory = new SentMessageDirectory();

  const summary = await pollUntilRouted(directory);

  expect(summary).toMatchObject({ downloaded: 1, acknowledgements: 1, quarantined: 0 });
  expect(await signalsReceived(workflowId)).toEqual(['acknowledgementReceived']);
  expect(await senderInbox()).toEqual([]);
  expect(directory.workflowIdFor(messageHeaderId)).toBe(workflowId);
});

it('routes an ack for a report this worker sent from its directory, with no search needed', async () => {
  const messageHeaderId = crypto.randomUUID();
  // Not searchable: only the directory can route this one.
  const workflowId = await encounterThatSent(messageHeaderId, { searchable: false });
  const directory = new SentMessageDirectory();
  directory.remember(messageHeaderId, workflowId);
  await practiceAcknowledges(messageHeaderId);

  const summary = await pollOnce(directory);

  expect(summary).toMatchObject({ downloaded: 1, acknowledgements: 1, unmatched: 0 });
  expect(await signalsReceived(workflowId)).toEqual(['acknowledgementReceived']);
  expect(await senderInbox()).toEqual([]);
});
