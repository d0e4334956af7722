/**
 * A contract change during a rolling upgrade, on real parts (dev server, the worker's adapters, the PDS double,
 * mesh-sandbox behind the MESH router, the receiving-practice simulator): an encounter saved under contract version 1
 * waits out its quiet period while its worker is replaced by one of a release whose contract is version 2, and that
 * worker sends the stored version-1 snapshot upgraded (docs/api.md, "Contract versions"), never re-validated.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { createDeliveryActivities } from '../../../activities/delivery/send-report';
import { encounterStatus, submitConsultationSaved } from '../../../client/encounters';
import { buildDataConverter } from '../../../common/data-converter';
import { createLogger } from '../../../common/logger';
import { parseConsultationSnapshot } from '../../../domain/snapshot';
import {
  upgradeSnapshot,
  type SnapshotUpgrader,
  type StoredSnapshot,
} from '../../../domain/snapshot-versions';
import { openFederationSettings } from '../../../integrations/federation/store';
import { meshMailboxes } from '../../../integrations/mesh/mailboxes';
import { createPdsClient } from '../../../integrations/pds/client';
import {
  startReceivingPractice,
  type ReceivingPractice,
} from '../../../simulators/receiving-practice/simulator';
import { writeExampleFederationFile } from '../../../tooling/example-federation';
import { createActivities } from '../../../worker/activities';
import { buildWorkflowBundle } from '../../../worker/bundle';
import { createFedreportWorker, startInboxPollers } from '../../../worker/worker';
import { ENCOUNTER_TASK_QUEUE, encounterWorkflowId } from '../../../workflows/encounter-identity';
import type { EncounterStatus } from '../../../workflows/encounter-messages';
import { meshInboxWorkflowId } from '../../../workflows/mesh-inbox-workflow';
import { TEST_KEYRING } from '../../support/codec';
import { openSharedTestArchive } from '../../support/archive';
import type { OpenArchive } from '../../../integrations/store/open-archive';
import { contractVersion2Upgrader } from '../../support/contract-version-2';
import { meshTestConfig, resetMesh, testMeshSandbox } from '../../support/mesh';
import { testPdsUrl, testTemporal } from '../../support/servers';
import { terminateRunningInboxPollers } from '../../support/stray-workflows';
import { installTestRuntime } from '../../support/temporal';
import { eventually } from '../cli/support';
import { closeRouters, startTestRouter } from '../mesh-router/support';

const SENDER_MAILBOX = 'X26ABC1';
/** Hillside Surgery (Y90002): the temporary-resident example's patient is registered there. */
const RECIPIENT_MAILBOX = 'X26ABC2';
/** Long enough to replace the worker before the send, short enough for a test. */
const QUIET_PERIOD = '8s';

/** What one worker's delivery upgraded: the snapshot it read from history and what it sent. */
interface Upgrades {
  read: StoredSnapshot[];
  sent: StoredSnapshot[];
}

/** The worker's upgrader, recording what it reads and returns. */
function recorded(upgrader: SnapshotUpgrader, upgrades: Upgrades): SnapshotUpgrader {
  return (stored) => {
    const upgraded = upgrader(stored);
    upgrades.read.push(stored);
    upgrades.sent.push(upgraded);
    return upgraded;
  };
}

describe('a contract change while an encounter waits', () => {
  let client: Client;
  let nativeConnection: NativeConnection;
  let workflowBundle: WorkflowBundleWithSourceMap;
  let practice: ReceivingPractice;
  let routerUrl: string;
  let settingsFile: string;
  let archive: OpenArchive;
  const workers: { worker: Worker; running: Promise<void> }[] = [];
  const encounterId = crypto.randomUUID();

  /** A worker of a release whose delivery brings stored snapshots to its contract with `upgrader`. */
  async function startWorker(upgrader: SnapshotUpgrader): Promise<Worker> {
    const logger = createLogger('contract-upgrade', 'silent');
    const mailboxes = meshMailboxes(meshTestConfig(SENDER_MAILBOX, { url: routerUrl }));
    const activities = createActivities({
      temporal: client,
      settings: await openFederationSettings(settingsFile, { logger }),
      pds: createPdsClient({ baseUrl: testPdsUrl(), timeoutMs: 5_000, auth: { mode: 'none' } }),
      mailboxes,
      archive: archive.repository,
      received: archive.received,
      timings: {
        infrastructureAckWindowMs: 60_000,
        businessAckWindowMs: 120_000,
        idleRetentionMs: 3_600_000,
      },
      metadata: {},
      quarantineDir: fs.mkdtempSync(path.join(os.tmpdir(), 'fedreport-quarantine-')),
      logger,
    });
    const worker = await createFedreportWorker({
      connection: nativeConnection,
      namespace: testTemporal().namespace,
      taskQueue: ENCOUNTER_TASK_QUEUE,
      dataConverter: buildDataConverter(TEST_KEYRING),
      workflowBundle,
      // The release's delivery; the rest of the worker is this one's. Acks then find the encounter by visibility.
      activities: { ...activities, ...createDeliveryActivities({ mailboxes, archive: archive.repository, upgradeSnapshot: upgrader }) },
    });
    workers.push({ worker, running: worker.run() });
    return worker;
  }

  async function stopWorker(worker: Worker): Promise<void> {
    worker.shutdown();
    await workers.find((w) => w.worker === worker)?.running;
  }

  const status = (): Promise<EncounterStatus | null> => encounterStatus(client, encounterId);

  beforeAll(async () => {
    installTestRuntime();
    const { address, namespace } = testTemporal();
    client = new Client({
      connection: await Connection.connect({ address }),
      namespace,
      dataConverter: buildDataConverter(TEST_KEYRING),
    });
    nativeConnection = await NativeConnection.connect({ address });
    archive = await openSharedTestArchive(TEST_KEYRING);
    await terminateRunningInboxPollers(client);
    await resetMesh(RECIPIENT_MAILBOX);
    await resetMesh(SENDER_MAILBOX);
    routerUrl = (await startTestRouter()).url;
    settingsFile = writeExampleFederationFile(
      fs.mkdtempSync(path.join(os.tmpdir(), 'fedreport-upgrade-')),
      QUIET_PERIOD,
    );
    workflowBundle = await buildWorkflowBundle();
    practice = await startReceivingPractice({
      mesh: { url: routerUrl, sharedKey: testMeshSandbox().sharedKey },
      mailboxes: [RECIPIENT_MAILBOX],
      responderOdsCodes: { [RECIPIENT_MAILBOX]: 'Y90002' },
      pollIntervalMs: 300,
    });
  });

  afterAll(async () => {
    await practice?.close();
    await archive?.close();
    for (const id of [encounterWorkflowId(encounterId), meshInboxWorkflowId(SENDER_MAILBOX)]) {
      await client?.workflow
        .getHandle(id)
        .terminate('test finished')
        .catch(() => undefined);
    }
    for (const { worker, running } of workers) {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
    }
    await nativeConnection?.close();
    await client?.connection.close();
    await closeRouters();
  });

  it('a worker of contract version 2 sends the version-1 snapshot saved before it, upgraded', async () => {
    const before: Upgrades = { read: [], sent: [] };
    const oldWorker = await startWorker(recorded(upgradeSnapshot, before));
    const example = JSON.parse(
      fs.readFileSync(
        path.resolve(__dirname, '../../../examples/consultation-temporary-resident.json'),
        'utf8',
      ),
    );
    const snapshot = parseConsultationSnapshot({
      ...example,
      schemaVersion: 1,
      encounterId,
      savedAt: new Date().toISOString(),
      consultation: { ...example.consultation, startedAt: new Date(Date.now() - 60_000).toISOString() },
    });
    await submitConsultationSaved(client, snapshot);
    await eventually(async () =>
      expect(await status()).toMatchObject({ state: 'waiting-quiet-period', latestRevision: 1 }),
    );
    await stopWorker(oldWorker);

    const after: Upgrades = { read: [], sent: [] };
    const version2 = contractVersion2Upgrader();
    await startWorker(recorded(version2, after));
    await startInboxPollers(client, {
      mailboxes: [SENDER_MAILBOX],
      taskQueue: ENCOUNTER_TASK_QUEUE,
      pollIntervalMs: 1_000,
    });

    const settled = await eventually(async () => {
      const current = await status();
      expect(current?.state).toBe('acknowledged');
      return current!;
    }, 60_000);
    expect(settled).toMatchObject({ reportVersion: 1, sendsSoFar: 1, registeredPracticeOds: 'Y90002' });
    expect(practice.stats().mailboxes[RECIPIENT_MAILBOX]?.received).toBe(1);
    expect(before.read).toEqual([]); // the old worker stopped before the send
    expect(after.read.map((s) => s.schemaVersion)).toEqual([1]);
    expect(after.sent[0]).toMatchObject({
      schemaVersion: 2,
      consultation: { endedAt: snapshot.savedAt },
    });
  });
});
