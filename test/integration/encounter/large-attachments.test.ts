/**
 * A consultation with 4.5 MiB of attachments, on real parts: the hook API takes it (the attachments go to the
 * archive, the workflow carries their digests), the worker's real delivery activity reads them back and sends the
 * report over mesh-sandbox (behind the MESH router) to the registered practice, carrying every attachment.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { encounterStatus } from '../../../client/encounters';
import { buildDataConverter } from '../../../common/data-converter';
import { createLogger } from '../../../common/logger';
import { openFederationSettings } from '../../../integrations/federation/store';
import { createMeshClient } from '../../../integrations/mesh/client';
import { meshMailboxes } from '../../../integrations/mesh/mailboxes';
import { createPdsClient } from '../../../integrations/pds/client';
import type { OpenArchive } from '../../../integrations/store/open-archive';
import { writeExampleFederationFile } from '../../../tooling/example-federation';
import { createActivities } from '../../../worker/activities';
import { buildWorkflowBundle } from '../../../worker/bundle';
import { createFedreportWorker } from '../../../worker/worker';
import { ENCOUNTER_TASK_QUEUE, encounterWorkflowId } from '../../../workflows/encounter-identity';
import type { EncounterStatus } from '../../../workflows/encounter-messages';
import { openSharedTestArchive } from '../../support/archive';
import { TEST_KEYRING } from '../../support/codec';
import { meshTestConfig, resetMesh } from '../../support/mesh';
import { testPdsUrl, testTemporal } from '../../support/servers';
import { installTestRuntime } from '../../support/temporal';
import { API_TOKEN, exampleSnapshot, startTestApi, type TestApi } from '../api/support';
import { closeRouters, startTestRouter } from '../mesh-router/support';

const SENDER_MAILBOX = 'X26ABC1';
/** Hillside Surgery (Y90002): the example's patient is registered there. */
const RECIPIENT_MAILBOX = 'X26ABC2';
const MiB = 1024 * 1024;

describe('a consultation with 4.5 MiB of attachments', () => {
  let client: Client;
  let nativeConnection: NativeConnection;
  let worker: Worker;
  let workerRunning: Promise<void>;
  let archive: OpenArchive;
  let api: TestApi;
  let routerUrl: string;
  const snapshot = exampleSnapshot();
  snapshot.savedAt = new Date().toISOString();
  snapshot.consultation.startedAt = new Date(Date.now() - 60_000).toISOString();
  const contents = [crypto.randomBytes(3 * MiB), crypto.randomBytes(1.5 * MiB)];
  snapshot.consultation.attachments = contents.map((content, i) => ({
    id: `scan-${i + 1}`,
    title: `Scan ${i + 1}`,
    contentType: 'application/pdf',
    data: content.toString('base64'),
  }));

  beforeAll(async () => {
    installTestRuntime();
    const { address, namespace } = testTemporal();
    const dataConverter = buildDataConverter(TEST_KEYRING);
    client = new Client({ connection: await Connection.connect({ address }), namespace, dataConverter });
    nativeConnection = await NativeConnection.connect({ address });
    archive = await openSharedTestArchive(TEST_KEYRING);
    await resetMesh(RECIPIENT_MAILBOX);
    routerUrl = (await startTestRouter()).url;
    const logger = createLogger('large-attachments', 'silent');
    const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fedreport-large-attachments-'));
    worker = await createFedreportWorker({
      connection: nativeConnection,
      namespace,
      taskQueue: ENCOUNTER_TASK_QUEUE,
      dataConverter,
      workflowBundle: await buildWorkflowBundle(),
      activities: createActivities({
        temporal: client,
        settings: await openFederationSettings(writeExampleFederationFile(workDir, '1s'), { logger }),
        pds: createPdsClient({ baseUrl: testPdsUrl(), timeoutMs: 5_000, auth: { mode: 'none' } }),
        mailboxes: meshMailboxes(meshTestConfig(SENDER_MAILBOX, { url: routerUrl })),
        archive: archive.repository,
        received: archive.received,
        timings: {
          infrastructureAckWindowMs: 60_000,
          businessAckWindowMs: 120_000,
          idleRetentionMs: 3_600_000,
        },
        metadata: {},
        quarantineDir: path.join(workDir, 'quarantine'),
        logger,
      }),
    });
    workerRunning = worker.run();
    api = await startTestApi({ client, archive: archive.repository });
  });

  afterAll(async () => {
    await client?.workflow
      .getHandle(encounterWorkflowId(snapshot.encounterId))
      .terminate('test finished')
      .catch(() => undefined);
    await api?.close();
    worker?.shutdown();
    await workerRunning;
    await nativeConnection?.close();
    await client?.connection.close();
    await archive?.close();
    await closeRouters();
  });

  async function waitUntilSent(timeoutMs = 90_000): Promise<EncounterStatus> {
    const deadline = Date.now() + timeoutMs;
    let last: EncounterStatus | null = null;
    while (Date.now() < deadline) {
      last = await encounterStatus(client, snapshot.encounterId).catch(() => null);
      if (last?.state === 'awaiting-acknowledgement') return last;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    throw new Error(`the report was not sent; last status: ${JSON.stringify(last)}`);
  }

  it('is accepted by the API and its report reaches the registered practice with every attachment', async () => {
    const response = await fetch(`${api.url}/v1/encounters/${snapshot.encounterId}/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(snapshot),
    });
    expect(response.status).toBe(202);
    const status = await waitUntilSent();
    expect(status.sendsSoFar).toBe(1);
    // Temporal holds the digests, not the content: every event of the history is a few KiB at most.
    const history = await client.workflow.getHandle(encounterWorkflowId(snapshot.encounterId)).fetchHistory();
    const largestEvent = Math.max(...(history.events ?? []).map((event) => JSON.stringify(event).length));
    expect(largestEvent).toBeLessThan(16 * 1024);

    const recipient = createMeshClient(meshTestConfig(RECIPIENT_MAILBOX, { url: routerUrl }));
    const [messageId, ...others] = (await recipient.listInboxPage()).messageIds;
    expect(others).toEqual([]);
    const message = await recipient.download(messageId!);
    // Base64 inside the XML: a third larger than the attachments, in one MESH request (MESH takes up to 100 MB).
    expect(message.body.length).toBeGreaterThan(6 * MiB);
    const body = message.body.toString('utf8');
    for (const content of contents) expect(body.includes(content.toString('base64'))).toBe(true);
  });
});
