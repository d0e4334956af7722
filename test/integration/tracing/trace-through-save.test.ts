/**
 * One trace follows a save: the API's request span, the client's signal-with-start, the encounter workflow's spans
 * (exported through the worker's sink), the activities and their PDS and MESH calls, on real parts (dev server, the
 * worker's real adapters, the PDS double, mesh-sandbox behind the MESH router), with an in-memory exporter. No span
 * name or attribute carries the example patient's data.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { connectClient } from '../../../common/temporal-connection';
import { createLogger } from '../../../common/logger';
import { installTracing, type Tracing } from '../../../common/tracing';
import { openFederationSettings } from '../../../integrations/federation/store';
import { meshMailboxes } from '../../../integrations/mesh/mailboxes';
import { createPdsClient } from '../../../integrations/pds/client';
import { createActivities } from '../../../worker/activities';
import { buildWorkflowBundle } from '../../../worker/bundle';
import { createFedreportWorker } from '../../../worker/worker';
import { ENCOUNTER_TASK_QUEUE, encounterWorkflowId } from '../../../workflows/encounter-identity';
import { TEST_KEYRING } from '../../support/codec';
import { openSharedTestArchive } from '../../support/archive';
import type { OpenArchive } from '../../../integrations/store/open-archive';
import { meshTestConfig, resetMesh } from '../../support/mesh';
import { testPdsUrl, testTemporal } from '../../support/servers';
import { installTestRuntime } from '../../support/temporal';
import { writeExampleFederationFile } from '../../../tooling/example-federation';
import { API_TOKEN, EXAMPLE_PHI, exampleSnapshot, startTestApi, type TestApi } from '../api/support';
import { closeRouters, startTestRouter } from '../mesh-router/support';

const SENDER_MAILBOX = 'X26ABC1';
/** The example patient's data beyond EXAMPLE_PHI: second given name, postcodes, phone numbers. */
const MORE_PHI = ['Rose', 'EX2 4BB', 'EX1 2CC', '960123', '900123', 'GPPROVIDER'];

const exporter = new InMemorySpanExporter();
let tracing: Tracing;
let client: Client;
let nativeConnection: NativeConnection;
let worker: Worker;
let running: Promise<void>;
let api: TestApi;
let archive: OpenArchive;
const snapshot = exampleSnapshot();
snapshot.savedAt = new Date().toISOString();
snapshot.consultation.startedAt = new Date(Date.now() - 60_000).toISOString();

beforeAll(async () => {
  installTestRuntime();
  tracing = installTracing('fedreport-test', new SimpleSpanProcessor(exporter));
  const { address, namespace } = testTemporal();
  const env = { FEDREPORT_TEMPORAL_ADDRESS: address, FEDREPORT_TEMPORAL_NAMESPACE: namespace };
  client = await connectClient({ env, keyring: TEST_KEYRING, tracing: true });
  nativeConnection = await NativeConnection.connect({ address });
  archive = await openSharedTestArchive(TEST_KEYRING);
  await resetMesh(SENDER_MAILBOX);
  const router = await startTestRouter();
  const logger = createLogger('tracing-test', 'silent');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fedreport-tracing-'));
  worker = await createFedreportWorker({
    connection: nativeConnection,
    namespace,
    taskQueue: ENCOUNTER_TASK_QUEUE,
    dataConverter: client.options.dataConverter,
    workflowBundle: await buildWorkflowBundle({ tracing: true }),
    tracing,
    activities: createActivities({
      temporal: client,
      settings: await openFederationSettings(writeExampleFederationFile(dir, '1s'), { logger }),
      pds: createPdsClient({ baseUrl: testPdsUrl(), timeoutMs: 5_000, auth: { mode: 'none' } }),
      mailboxes: meshMailboxes(meshTestConfig(SENDER_MAILBOX, { url: router.url })),
      archive: archive.repository,
      received: archive.received,
      timings: {
        infrastructureAckWindowMs: 60_000,
        businessAckWindowMs: 120_000,
        idleRetentionMs: 3_600_000,
      },
      metadata: {},
      quarantineDir: fs.mkdtempSync(path.join(dir, 'quarantine-')),
      logger,
    }),
  });
  running = worker.run();
  api = await startTestApi({ client, tracing: true });
});

afterAll(async () => {
  await client?.workflow
    .getHandle(encounterWorkflowId(snapshot.encounterId))
    .terminate('test finished')
    .catch(() => undefined);
  await api?.close();
  worker?.shutdown();
  await running;
  await nativeConnection?.close();
  await client?.connection.close();
  await archive?.close();
  await closeRouters();
  await tracing?.shutdown();
});

async function spansUntil(
  done: (spans: ReadableSpan[]) => boolean,
  timeoutMs = 60_000,
): Promise<ReadableSpan[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const spans = exporter.getFinishedSpans();
    if (done(spans)) return spans;
    if (Date.now() > deadline) throw new Error(`spans so far: ${spans.map((s) => s.name).join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

it('one trace runs from the API request through the workflow to the activities and the PDS and MESH calls', async () => {
  const response = await fetch(`${api.url}/v1/encounters/${snapshot.encounterId}/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(snapshot),
  });
  expect(response.status).toBe(202);

  const spans = await spansUntil((all) => all.some((s) => s.name === 'RunActivity:sendReport'));
  const request = spans.find((s) => s.name === 'POST /v1/encounters/:encounterId/events');
  expect(request).toBeDefined();
  const inTrace = spans
    .filter((s) => s.spanContext().traceId === request!.spanContext().traceId)
    .map((s) => s.name);
  expect(inTrace).toEqual(
    expect.arrayContaining([
      'SignalWithStartWorkflow:encounterWorkflow',
      'HandleSignal:consultationSaved',
      'StartActivity:assessEligibility',
      'RunActivity:assessEligibility',
      'PDS: the patient lookup',
      'StartActivity:sendReport',
      'RunActivity:sendReport',
      'MESH send',
    ]),
  );
});

it('no span name, attribute, event or status carries the patient’s data', async () => {
  const spans = await spansUntil((all) => all.some((s) => s.name === 'RunActivity:sendReport'));
  const text = JSON.stringify(
    spans.map((s) => ({
      name: s.name,
      attributes: s.attributes,
      events: s.events,
      status: s.status,
      links: s.links,
    })),
  );
  for (const phi of [...EXAMPLE_PHI, ...MORE_PHI]) expect(text).not.toContain(phi);
  expect(spans.length).toBeGreaterThan(8);
});
