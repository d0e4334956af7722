/**
 * A consultation end to end on real parts: dev server, the worker's real adapters, the PDS double over HTTP,
 * mesh-sandbox with full HMAC auth behind the MESH router (GPPROVIDER addresses routed to the registered practice's
 * mailbox, or a REPORT) and the receiving-practice simulator answering from that mailbox with ITK3 acks over MESH.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { meshMailboxes } from '../../../integrations/mesh/mailboxes';
import { openFederationSettings } from '../../../integrations/federation/store';
import { createPdsClient } from '../../../integrations/pds/client';
import { encounterStatus, submitConsultationSaved } from '../../../client/encounters';
import { buildDataConverter } from '../../../common/data-converter';
import { createLogger } from '../../../common/logger';
import { parseConsultationSnapshot, type ConsultationSnapshot } from '../../../domain/snapshot';
import {
  createEndpointDirectory,
  endpointDirectoryFromFederation,
} from '../../../simulators/mesh-router/endpoint-directory';
import { startReceivingPractice, type ReceivingPractice } from '../../../simulators/receiving-practice/simulator';
import { createActivities } from '../../../worker/activities';
import { buildWorkflowBundle } from '../../../worker/bundle';
import { createFedreportWorker, startInboxPollers } from '../../../worker/worker';
import { ENCOUNTER_TASK_QUEUE, encounterWorkflowId } from '../../../workflows/encounter-identity';
import type { EncounterStatus } from '../../../workflows/encounter-messages';
import { meshInboxWorkflowId } from '../../../workflows/mesh-inbox-workflow';
import { TEST_KEYRING } from '../../support/codec';
import { openSharedTestArchive } from '../../support/archive';
import type { OpenArchive } from '../../../integrations/store/open-archive';
import { resetMesh, meshTestConfig, testMeshSandbox } from '../../support/mesh';
import { testPostgresDataDir } from '../../support/databases';
import { foundInFiles } from '../../support/phi-scan';
import { sql } from 'kysely';
import { testPdsUrl, testTemporal, testTemporalDbFile } from '../../support/servers';
import { recordHistoryIfRequested } from '../../support/histories';
import { terminateRunningInboxPollers } from '../../support/stray-workflows';
import { installTestRuntime } from '../../support/temporal';
import { exampleFederationSettings, writeExampleFederationFile } from '../../../tooling/example-federation';
import { closeRouters, startTestRouter } from '../mesh-router/support';

const EXAMPLES = path.resolve(__dirname, '../../../examples');
const SENDER_MAILBOX = 'X26ABC1';
/** Hillside Surgery (Y90002): the temporary-resident example's patient is registered there. */
const RECIPIENT_MAILBOX = 'X26ABC2';
/** Orchard Health Centre (Y90003) left out of the router's directory: MESH finds no mailbox for its patients. */
const UNLISTED_PRACTICE = 'Y90003';

/** The example federation's endpoint directory without the unlisted practice. */
function directoryWithoutUnlistedPractice() {
  const { endpoints } = endpointDirectoryFromFederation(exampleFederationSettings());
  return createEndpointDirectory({ endpoints: endpoints.filter((e) => e.odsCode !== UNLISTED_PRACTICE) });
}

function example(name: string, changes: (snapshot: any) => void = () => undefined): ConsultationSnapshot {
  const input = JSON.parse(fs.readFileSync(path.join(EXAMPLES, name), 'utf8'));
  changes(input);
  return parseConsultationSnapshot(input);
}

describe('encounter end to end', () => {
  let client: Client;
  let nativeConnection: NativeConnection;
  let worker: Worker;
  let workerRunning: Promise<void>;
  let practice: ReceivingPractice;
  let archive: OpenArchive;
  const snapshot = example('consultation-temporary-resident.json', (s) => {
    s.encounterId = '5d9a7c1e-3b2f-4e6a-9c8d-1f0e2a3b4c5d';
    s.savedAt = new Date().toISOString();
    s.consultation.startedAt = new Date(Date.now() - 60_000).toISOString();
  });
  /** Its patient is registered at the unlisted practice. */
  const unroutable = example('consultation-confidential.json', (s) => {
    s.encounterId = '8e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b';
    s.savedAt = new Date().toISOString();
    s.consultation.startedAt = new Date(Date.now() - 60_000).toISOString();
  });

  async function waitForState(encounterId: string, state: EncounterStatus['state'], version: number, timeoutMs = 60_000): Promise<EncounterStatus> {
    const deadline = Date.now() + timeoutMs;
    let last: EncounterStatus | null = null;
    while (Date.now() < deadline) {
      last = await encounterStatus(client, encounterId).catch(() => null);
      if (last?.state === state && last.reportVersion === version) return last;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`encounter did not reach ${state} v${version}; last status: ${JSON.stringify(last)}`);
  }

  beforeAll(async () => {
    installTestRuntime();
    const { address, namespace } = testTemporal();
    const dataConverter = buildDataConverter(TEST_KEYRING);
    client = new Client({ connection: await Connection.connect({ address }), namespace, dataConverter });
    nativeConnection = await NativeConnection.connect({ address });
    archive = await openSharedTestArchive(TEST_KEYRING);
    await terminateRunningInboxPollers(client);
    // Count only what this file sends: other files may have left messages for the same practice or sender.
    await resetMesh(RECIPIENT_MAILBOX);
    await resetMesh(SENDER_MAILBOX);
    const router = await startTestRouter({ directory: directoryWithoutUnlistedPractice() });
    const logger = createLogger('e2e', 'silent');
    worker = await createFedreportWorker({
      connection: nativeConnection,
      namespace,
      taskQueue: ENCOUNTER_TASK_QUEUE,
      dataConverter,
      workflowBundle: await buildWorkflowBundle(),
      activities: createActivities({
        temporal: client,
        settings: await openFederationSettings(writeExampleFederationFile(fs.mkdtempSync(path.join(os.tmpdir(), 'fedreport-e2e-')), '2s'), { logger }),
        pds: createPdsClient({ baseUrl: testPdsUrl(), timeoutMs: 5_000, auth: { mode: 'none' } }),
        mailboxes: meshMailboxes(meshTestConfig(SENDER_MAILBOX, { url: router.url })),
        archive: archive.repository,
        received: archive.received,
        timings: { infrastructureAckWindowMs: 60_000, businessAckWindowMs: 120_000, idleRetentionMs: 3_600_000 },
        metadata: {},
        quarantineDir: fs.mkdtempSync(path.join(os.tmpdir(), 'fedreport-quarantine-')),
        logger,
      }),
    });
    workerRunning = worker.run();
    practice = await startReceivingPractice({
      mesh: { url: router.url, sharedKey: testMeshSandbox().sharedKey },
      mailboxes: [RECIPIENT_MAILBOX],
      responderOdsCodes: { [RECIPIENT_MAILBOX]: 'Y90002' },
      pollIntervalMs: 300,
    });
    await startInboxPollers(client, { mailboxes: [SENDER_MAILBOX], taskQueue: ENCOUNTER_TASK_QUEUE, pollIntervalMs: 1_000 });
  });

  afterAll(async () => {
    await practice?.close();
    for (const id of [encounterWorkflowId(snapshot.encounterId), encounterWorkflowId(unroutable.encounterId), meshInboxWorkflowId(SENDER_MAILBOX)]) {
      await client?.workflow.getHandle(id).terminate('test finished').catch(() => undefined);
    }
    worker?.shutdown();
    await workerRunning;
    await nativeConnection?.close();
    await client?.connection.close();
    await archive?.close();
    await closeRouters();
  });

  it('a consultation reaches acknowledged, and the registered practice mailbox received exactly one message', async () => {
    await submitConsultationSaved(client, snapshot);
    const status = await waitForState(snapshot.encounterId, 'acknowledged', 1);
    expect(status.registeredPracticeOds).toBe('Y90002');
    expect(status.codesReceived.map((c) => [c.source, c.code, c.positive])).toEqual(
      expect.arrayContaining([
        ['itk3-infrastructure', '20013', true],
        ['itk3-business', '30001', true],
      ]),
    );
    expect(status.sendsSoFar).toBe(1);
    expect(practice.stats().mailboxes[RECIPIENT_MAILBOX]?.received).toBe(1);
  });

  it('a later save sends a complete version 2: one message per version, nothing duplicated', async () => {
    // A save sends a new version only when what the report carries changed.
    const consultation = { ...snapshot.consultation, followUpActions: ['Repeat chest examination in 48 hours.'] };
    const update = { ...snapshot, revision: 2, savedAt: new Date().toISOString(), consultation };
    await submitConsultationSaved(client, update);
    await submitConsultationSaved(client, update); // the hook retried: idempotent by revision
    const status = await waitForState(snapshot.encounterId, 'acknowledged', 2);
    expect(status.latestRevision).toBe(2);
    expect(practice.stats().mailboxes[RECIPIENT_MAILBOX]?.received).toBe(2);
    await recordHistoryIfRequested(client.workflow.getHandle(encounterWorkflowId(snapshot.encounterId)), 'devserver-two-versions-acknowledged');
  });

  it('a patient whose practice has no MESH mailbox: the router\'s REPORT (EPL-151) makes it undeliverable, with an alert', async () => {
    await submitConsultationSaved(client, unroutable);
    const status = await waitForState(unroutable.encounterId, 'undeliverable', 1);
    expect(status.sendsSoFar).toBe(1);
    expect(status.codesReceived).toEqual([expect.objectContaining({ source: 'mesh-report', code: 'EPL-151', positive: false })]);
    expect(status.alerts).toEqual([expect.stringContaining('undeliverable v1: MESH report EPL-151, routing failure')]);
  });

  it('the archive keeps each version sent, and its PostgreSQL files hold no NHS number, name or birth date in plaintext', async () => {
    const archived = await archive.repository.search({ encounterGuid: snapshot.encounterId });
    expect(archived.map((m) => [m.reportVersion, m.state])).toEqual([
      [2, 'acknowledged'],
      [1, 'acknowledged'],
    ]);
    await sql`checkpoint`.execute(archive.db); // the rows in the table files, not only in the WAL
    const phi = [
      snapshot.patient.nhsNumber,
      snapshot.patient.name.family,
      // Four bytes ("Rose") can turn up by chance in a whole cluster's files; longer names cannot.
      ...snapshot.patient.name.given.filter((given) => given.length > 4),
      snapshot.patient.birthDate,
    ];
    // The encounter GUID is a plain column: finding it shows the scan reads the files the archive wrote.
    expect(foundInFiles(testPostgresDataDir(), [snapshot.encounterId, ...phi])).toEqual([snapshot.encounterId]);
  });

  it('the Temporal database holds no NHS number, patient name or date of birth in plaintext', () => {
    const db = testTemporalDbFile();
    const stored = Buffer.concat(
      [db, `${db}-wal`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f)),
    );
    expect(stored.length).toBeGreaterThan(0);
    const phi = [
      snapshot.patient.nhsNumber,
      snapshot.patient.name.family,
      ...snapshot.patient.name.given,
      snapshot.patient.birthDate,
      snapshot.patient.birthDate.replace(/-/g, ''),
    ];
    for (const value of phi) {
      expect({ value, foundUtf8: stored.includes(Buffer.from(value, 'utf8')), foundUtf16: stored.includes(Buffer.from(value, 'utf16le')) }).toEqual({
        value,
        foundUtf8: false,
        foundUtf16: false,
      });
    }
    // The scan is meaningful only if the encounter's history really is in this file.
    expect(stored.includes(Buffer.from(encounterWorkflowId(snapshot.encounterId)))).toBe(true);
  });
});
