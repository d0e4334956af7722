/**
 * The example federation on fedreport alone, as the local stack runs it: one worker process (worker/main.ts,
 * configured by environment) serving every practice — sending for the hosting practice and receiving for the
 * registered ones, which acknowledge on receipt — behind the MESH router, against the run's dev server, mesh-sandbox,
 * PDS double and archive database. Around it: readers of the received-message workflows and the document inbox.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { buildDataConverter } from '../../../../common/data-converter';
import { receivedMessageWorkflowId } from '../../../../domain/received-message-identity';
import { FieldEncryption } from '../../../../integrations/store/field-encryption';
import type { OpenArchive } from '../../../../integrations/store/open-archive';
import {
  ReceivedDocumentRepository,
  type ReceivedDocumentState,
} from '../../../../integrations/store/received-document-repository';
import type { MeshRouter } from '../../../../simulators/mesh-router/server';
import { LOCAL_RECEIVING, writeExampleFederationFile } from '../../../../tooling/example-federation';
import { MESH_SANDBOX_MAILBOX_PASSWORD } from '../../../../tooling/mesh-sandbox';
import { PROJECT_ROOT } from '../../../../tooling/paths';
import { startProcess, type ManagedProcess } from '../../../../tooling/processes';
import { buildWorkflowBundle } from '../../../../worker/bundle';
import type { ReceivedMessageResult } from '../../../../workflows/received-message-workflow';
import { openSharedTestArchive } from '../../../support/archive';
import { TEST_KEYRING } from '../../../support/codec';
import { sharedTestArchiveUrl } from '../../../support/databases';
import { testMeshSandbox } from '../../../support/mesh';
import { testPdsUrl, testTemporal } from '../../../support/servers';
import { terminateRunningInboxPollers } from '../../../support/stray-workflows';
import { closeRouters, startTestRouter } from '../../mesh-router/support';
import { until } from '../../inbox/support/inbox-stack';

export class FederationStack {
  private constructor(
    readonly client: Client,
    readonly archive: OpenArchive,
    readonly router: MeshRouter,
    private readonly worker: ManagedProcess,
    readonly logFile: string,
  ) {}

  /** Starts the worker and waits until it polls the practices' mailboxes. */
  static async start(dir: string): Promise<FederationStack> {
    fs.mkdirSync(dir, { recursive: true });
    const { address, namespace } = testTemporal();
    const connection = await Connection.connect({ address });
    const client = new Client({ connection, namespace, dataConverter: buildDataConverter(TEST_KEYRING) });
    await terminateRunningInboxPollers(client);
    const archive = await openSharedTestArchive(TEST_KEYRING);
    const router = await startTestRouter();
    const bundleFile = path.join(dir, 'workflow-bundle.js');
    fs.writeFileSync(bundleFile, (await buildWorkflowBundle()).code);
    const logFile = path.join(dir, 'worker.log');
    const worker = startProcess({
      name: 'fedreport worker',
      command: process.execPath,
      args: ['--import', 'tsx', path.join(PROJECT_ROOT, 'worker', 'main.ts')],
      cwd: PROJECT_ROOT,
      env: {
        FEDREPORT_TEMPORAL_ADDRESS: address,
        FEDREPORT_TEMPORAL_NAMESPACE: namespace,
        FEDREPORT_CODEC_KEYS: `test-key-1:${Buffer.alloc(32, 7).toString('base64')}`,
        FEDREPORT_WORKFLOW_BUNDLE: bundleFile,
        FEDREPORT_DATABASE_URL: sharedTestArchiveUrl(),
        FEDREPORT_LOG_LEVEL: 'info',
        FEDREPORT_FEDERATION_FILE: writeExampleFederationFile(dir, '1s', LOCAL_RECEIVING),
        FEDREPORT_MESH_URL: router.url,
        FEDREPORT_MESH_MAILBOX: 'X26ABC1',
        FEDREPORT_MESH_PASSWORD: MESH_SANDBOX_MAILBOX_PASSWORD,
        FEDREPORT_MESH_SHARED_KEY: testMeshSandbox().sharedKey,
        FEDREPORT_PDS_BASE_URL: testPdsUrl(),
        FEDREPORT_INBOX_POLL_INTERVAL: '1s',
        FEDREPORT_INBOX_RECEIVE_DOCUMENTS: 'true',
        FEDREPORT_INFRASTRUCTURE_ACK_WINDOW: '1h',
        FEDREPORT_BUSINESS_ACK_WINDOW: '2h',
        FEDREPORT_QUARANTINE_DIR: path.join(dir, 'quarantine'),
      },
      logFile,
    });
    const stack = new FederationStack(client, archive, router, worker, logFile);
    await until(
      'the worker polls the practice mailboxes',
      async () => {
        if (worker.child.exitCode !== null)
          throw new Error(`worker exited:\n${fs.readFileSync(logFile, 'utf8')}`);
        for await (const poller of client.workflow.list({
          query: `WorkflowType = 'meshInboxWorkflow' AND ExecutionStatus = 'Running'`,
        }))
          return poller;
        return undefined;
      },
      90_000,
    );
    return stack;
  }

  /** The received-message workflow's result, once it has answered for good. */
  async receivedResult(
    mailbox: string,
    messageHeaderId: string,
    timeoutMs = 60_000,
  ): Promise<ReceivedMessageResult> {
    const workflowId = receivedMessageWorkflowId(mailbox, { messageHeaderId });
    return until(
      `the received message ${workflowId} settles`,
      () => this.client.workflow.getHandle(workflowId).result() as Promise<ReceivedMessageResult>,
      timeoutMs,
    );
  }

  /** What the document inbox holds of one MESH message: undefined when nothing was kept. */
  documentState(meshMessageId: string): Promise<ReceivedDocumentState | undefined> {
    const documents = new ReceivedDocumentRepository(
      this.archive.db,
      new FieldEncryption(TEST_KEYRING, 'test-key-1'),
    );
    return documents.stateOf(meshMessageId);
  }

  /** The documents the receiver holds for one encounter (the SenderReference is the sender's encounter GUID). */
  documentsOfEncounter(encounterGuid: string): Promise<{ recipientOds: string; state: string }[]> {
    return this.archive.db
      .selectFrom('received_messages')
      .select(['recipient_ods as recipientOds', 'state'])
      .where('encounter_guid', '=', encounterGuid)
      .execute();
  }

  async close(): Promise<void> {
    await this.worker.stop(15_000);
    await terminateRunningInboxPollers(this.client).catch(() => undefined);
    await closeRouters();
    await this.archive.close();
    await this.client.connection.close();
  }
}
