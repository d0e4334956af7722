/**
 * Everything a chaos scenario runs against, on loopback: the Temporal dev server (a file database on a fixed port, so
 * it can be restarted in place), MESH as in `npm start` (the MESH router in front of mesh-sandbox, optionally behind
 * the fault proxy), the PDS double, the receiving-practice simulator polling the registered practices' mailboxes the
 * router delivers to, the archive database (Debian PostgreSQL), and the workers (one or more) as their own processes
 * configured by environment as in `npm start`, optionally with API processes the saves go through. A caller may pass a
 * running Temporal server, sandbox and archive database instead of starting them.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { ensureDevCodecKeyFile, parseCodecKeyring } from '../../common/codec-keys';
import { buildDataConverter } from '../../common/data-converter';
import { submitConsultationSaved } from '../../client/encounters';
import type { ConsultationSnapshot } from '../../domain/snapshot';
import { startMeshRouter } from '../../simulators/mesh-router/server';
import { startPdsDouble, type PdsDouble } from '../../simulators/pds/server';
import {
  exampleEndpointDirectory,
  exampleFederationMailboxes,
  exampleReceivingPractices,
  writeExampleFederationFile,
} from '../../tooling/example-federation';
import { startReceivingPractice, type ReceivingPractice } from '../../simulators/receiving-practice/simulator';
import { FaultProxy } from '../../test/support/fault-proxy';
import {
  resetMeshSandbox,
  MESH_SANDBOX_MAILBOX_PASSWORD,
  startMeshSandbox,
  type MeshSandboxLocation,
} from '../../tooling/mesh-sandbox';
import { PROJECT_ROOT } from '../../tooling/paths';
import { freePort, httpOk, startProcess, waitUntilReady, type ManagedProcess } from '../../tooling/processes';
import { startDevServer, type DevServer } from '../../tooling/temporal-dev-server';
import { startPostgresServer, type PostgresServer } from '../../tooling/postgres-server';
import { buildWorkflowBundle } from '../../worker/bundle';
import { CHAOS_HOSTING_PRACTICE, CHAOS_SENDER_MAILBOX } from './consultations';
import { WorkerProcess } from './worker-process';

const DEV_SERVER_START_ATTEMPTS = 3;

export interface TemporalLocation {
  address: string;
  namespace: string;
}

export interface ChaosStackOptions {
  /** Logs, database, MESH store, keys, federation file: a fresh directory per run. */
  stateDir: string;
  /** The hosting practice's quiet period, e.g. `2s`. */
  quietPeriod: string;
  /** The registered practices' mailboxes the reports reach (recipientMailboxesOf): polled by the simulator. */
  recipientMailboxes: string[];
  /** An already running dev server (jest); otherwise one is started on a file database and can be restarted. */
  temporal?: TemporalLocation;
  /** An already running mesh-sandbox (jest); otherwise one is started in `stateDir`. */
  mesh?: MeshSandboxLocation & { sharedKey: string };
  /** An archive database to use (jest's shared one); otherwise a PostgreSQL server is started in `stateDir`. */
  databaseUrl?: string;
  /** Point the worker's MESH URL at a fault proxy in front of the router. */
  meshThroughFaultProxy?: boolean;
  /** Extra worker environment (e.g. a shorter MESH read timeout so stalls end quickly). */
  workerEnv?: Record<string, string>;
  /** Worker processes sharing the task queue (1 when omitted). */
  workers?: number;
  /** API processes the saves go through, in turn; without any, saves go to Temporal directly. */
  apis?: number;
}

export interface ChaosStack {
  readonly client: Client;
  readonly temporal: TemporalLocation;
  /** mesh-sandbox, behind the router: its file store holds what each mailbox received. */
  readonly mesh: MeshSandboxLocation;
  readonly pds: PdsDouble;
  /** The archive's PostgreSQL server when the stack started its own. */
  readonly database?: PostgresServer;
  /** The archive database the worker writes (its own server's or the one given). */
  readonly databaseUrl: string;
  readonly practice: ReceivingPractice;
  /** The first of `workers`. */
  readonly worker: WorkerProcess;
  readonly workers: readonly WorkerProcess[];
  /** Saves a consultation as a clinical system's hook would: through the APIs in turn, or to Temporal directly. */
  save(snapshot: ConsultationSnapshot): Promise<void>;
  /** Present with meshThroughFaultProxy. */
  readonly faultProxy?: FaultProxy;
  /** Stops the dev server, waits `downMs`, starts it again on the same port and database. Own dev server only. */
  restartTemporal(downMs: number): Promise<void>;
  /** Stops the archive's PostgreSQL (fast shutdown), waits `downMs`, starts it again. Own database only. */
  restartDatabase(downMs: number): Promise<void>;
  close(): Promise<void>;
}

/** Starts what was not given, in order; on failure stops whatever had started before rethrowing. */
export async function startChaosStack(options: ChaosStackOptions): Promise<ChaosStack> {
  fs.mkdirSync(options.stateDir, { recursive: true });
  const log = (name: string): string => path.join(options.stateDir, `${name}.log`);
  const closers: (() => Promise<unknown>)[] = [];
  const closeAll = async (): Promise<void> => {
    for (const close of closers.reverse()) await close().catch(() => undefined);
    closers.length = 0;
  };

  try {
    const ownTemporal = options.temporal ? undefined : await ownDevServer(path.join(options.stateDir, 'temporal.sqlite'), log('temporal'));
    if (ownTemporal) closers.push(() => ownTemporal.stop());
    const temporal = options.temporal ?? ownTemporal!.location;

    const ownMesh = options.mesh
      ? undefined
      : await startMeshSandbox({ dataDir: path.join(options.stateDir, 'mesh-store'), mailboxes: exampleFederationMailboxes(), logFile: log('mesh-sandbox') });
    if (ownMesh) closers.push(() => ownMesh.process.stop());
    const mesh = options.mesh ?? ownMesh!;
    // A shared sandbox (a jest run's) may hold other tests' messages in the practices' mailboxes: count only ours.
    if (options.mesh) {
      for (const mailbox of exampleFederationMailboxes()) await resetMeshSandbox(mesh, mailbox);
    }

    const pds = await startPdsDouble();
    const ownDatabase = options.databaseUrl ? undefined : await startPostgresServer({ logFile: log('postgresql') });
    if (ownDatabase) closers.push(() => ownDatabase.stop());
    closers.push(() => pds.close());
    const meshUrl = await startRouter(mesh.url, (close) => closers.push(close));
    const faultProxy = options.meshThroughFaultProxy ? await FaultProxy.start(meshUrl) : undefined;
    if (faultProxy) closers.push(() => faultProxy.close());

    // Each practice answers from its own mailbox, under its own ODS code.
    const practice = await startReceivingPractice({
      mesh: { url: meshUrl, sharedKey: mesh.sharedKey },
      mailboxes: options.recipientMailboxes,
      responderOdsCodes: exampleReceivingPractices(CHAOS_HOSTING_PRACTICE),
      pollIntervalMs: 500,
    });
    closers.push(() => practice.close());

    const databaseUrl = options.databaseUrl ?? ownDatabase!.url;
    const keysFile = ensureDevCodecKeyFile(options.stateDir);
    const keyring = parseCodecKeyring(JSON.parse(fs.readFileSync(keysFile, 'utf8')), keysFile);
    // One bundle for every restart: a worker that bundles on start would spend seconds of each restart on it.
    const bundleFile = path.join(options.stateDir, 'workflow-bundle.js');
    fs.writeFileSync(bundleFile, (await buildWorkflowBundle()).code);

    const commonEnv = {
      FEDREPORT_TEMPORAL_ADDRESS: temporal.address,
      FEDREPORT_TEMPORAL_NAMESPACE: temporal.namespace,
      FEDREPORT_CODEC_KEYS_FILE: keysFile,
      FEDREPORT_LOG_LEVEL: 'warn',
      FEDREPORT_DATABASE_URL: databaseUrl,
    };
    const workerEnv = {
      ...commonEnv,
      FEDREPORT_WORKFLOW_BUNDLE: bundleFile,
      FEDREPORT_FEDERATION_FILE: writeExampleFederationFile(options.stateDir, options.quietPeriod),
      FEDREPORT_MESH_URL: faultProxy?.url ?? meshUrl,
      FEDREPORT_MESH_MAILBOX: CHAOS_SENDER_MAILBOX,
      FEDREPORT_MESH_PASSWORD: MESH_SANDBOX_MAILBOX_PASSWORD,
      FEDREPORT_MESH_SHARED_KEY: mesh.sharedKey,
      FEDREPORT_PDS_BASE_URL: pds.url,
      FEDREPORT_INBOX_POLL_INTERVAL: '1s',
      // Far beyond any scenario: a missing-ack alert would only blur what the scenario checks.
      FEDREPORT_INFRASTRUCTURE_ACK_WINDOW: '1h',
      FEDREPORT_BUSINESS_ACK_WINDOW: '2h',
      FEDREPORT_QUARANTINE_DIR: path.join(options.stateDir, 'quarantine'),
      ...options.workerEnv,
    };
    const workers = Array.from({ length: options.workers ?? 1 }, (_, i) => new WorkerProcess(workerEnv, log(i === 0 ? 'worker' : `worker-${i + 1}`)));
    for (const worker of workers) closers.push(() => worker.close());
    const apis = await startApis(options.apis ?? 0, commonEnv, log);
    for (const api of apis) closers.push(() => api.process.stop());

    const connection = await Connection.connect({ address: temporal.address });
    const client = new Client({ connection, namespace: temporal.namespace, dataConverter: buildDataConverter(keyring) });
    closers.push(() => connection.close());

    return {
      client,
      temporal,
      mesh,
      pds,
      ...(ownDatabase && { database: ownDatabase }),
      databaseUrl,
      practice,
      worker: workers[0]!,
      workers,
      save: apis.length > 0 ? roundRobinSaves(apis) : (snapshot) => submitConsultationSaved(client, snapshot).then(() => undefined),
      faultProxy,
      async restartTemporal(downMs) {
        if (!ownTemporal) throw new Error('restartTemporal needs the stack to run its own dev server');
        await ownTemporal.restart(downMs);
      },
      async restartDatabase(downMs) {
        if (!ownDatabase) throw new Error('restartDatabase needs the stack to run its own PostgreSQL');
        await ownDatabase.restart(downMs);
      },
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

interface ApiProcess {
  url: string;
  token: string;
  process: ManagedProcess;
}

/** API processes as in production, configured by environment; one token acts for every practice. */
async function startApis(count: number, env: Record<string, string>, log: (name: string) => string): Promise<ApiProcess[]> {
  const token = crypto.randomBytes(24).toString('base64url');
  return Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const port = await freePort();
      const proc = startProcess({
        name: `fedreport API ${i + 1}`,
        command: process.execPath,
        args: [require.resolve('tsx/cli'), path.join(PROJECT_ROOT, 'client', 'api', 'main.ts')],
        env: { ...env, FEDREPORT_API_PORT: String(port), FEDREPORT_API_TOKENS: token, FEDREPORT_API_RATE_LIMIT_MAX: '100000' },
        logFile: log(`api-${i + 1}`),
      });
      const url = `http://127.0.0.1:${port}`;
      await waitUntilReady(proc, () => httpOk(`${url}/ready`), 60_000, log(`api-${i + 1}`));
      return { url, token, process: proc };
    }),
  );
}

/** Each save goes to the next API; an answer other than 202 is an error, retried by the caller like a hook would. */
function roundRobinSaves(apis: readonly ApiProcess[]): (snapshot: ConsultationSnapshot) => Promise<void> {
  let next = 0;
  return async (snapshot) => {
    const api = apis[next++ % apis.length]!;
    const response = await fetch(`${api.url}/v1/encounters/${encodeURIComponent(snapshot.encounterId)}/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${api.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(snapshot),
      signal: AbortSignal.timeout(30_000),
    });
    const body = await response.text();
    if (response.status !== 202) throw new Error(`${api.url} answered ${response.status}: ${body.slice(0, 300)}`);
  };
}

/**
 * The MESH router in front of the sandbox, tracing addresses in a PDS double of its own: MESH's PDS is not the
 * worker's, so the PDS faults a scenario injects into the worker's double never reach routing. Returns its URL.
 */
async function startRouter(sandboxUrl: string, onClose: (close: () => Promise<unknown>) => void): Promise<string> {
  const meshPds = await startPdsDouble();
  onClose(() => meshPds.close());
  const router = await startMeshRouter({ sandboxUrl, pdsUrl: meshPds.url, directory: exampleEndpointDirectory() });
  onClose(() => router.close());
  return router.url;
}

/**
 * A dev server on a fixed port and file database, so a restart brings the same server back where clients expect it.
 * The dev server also binds a few ports next to its frontend port; another process on this busy machine can hold
 * one of them, so a start that fails is tried again (on a new port at first, on the same port for a restart).
 */
async function ownDevServer(dbFile: string, logFile: string) {
  const startOn = async (port: () => Promise<number>): Promise<DevServer> => {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await startDevServer({ port: await port(), uiPort: null, dbFile, logFile });
      } catch (error) {
        if (attempt >= DEV_SERVER_START_ATTEMPTS) throw error;
        await new Promise((resolve) => setTimeout(resolve, 2_000));
      }
    }
  };
  let server = await startOn(freePort);
  const port = Number(server.address.split(':').pop());
  const location: TemporalLocation = { address: server.address, namespace: server.namespace };
  return {
    location,
    stop: () => server.process.stop(),
    async restart(downMs: number): Promise<void> {
      await server.process.stop();
      await new Promise((resolve) => setTimeout(resolve, downMs));
      server = await startOn(() => Promise.resolve(port));
    },
  };
}

