/**
 * The real stack of the end-to-end benchmarks, on loopback: a headless Temporal dev server on a SQLite file (what a
 * single-machine deployment keeps, and the file whose size the scale bench reports), MESH as in `npm start` (the MESH
 * router, in this process, in front of mesh-sandbox: reports reach the registered practices' mailboxes), the PDS
 * double, a federation file with the bench's quiet period and a fresh codec key. Benches add what they need: the
 * worker in this process (the same factory and adapters as worker/main.ts), the worker as its own process, the
 * receiving-practice simulator. close() stops everything started, newest first, on success and on failure alike.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { meshMailboxes } from '../../integrations/mesh/mailboxes';
import type { ServiceTimings } from '../../activities/settings/practice-settings-view';
import { openFederationSettings } from '../../integrations/federation/store';
import { exampleEndpointDirectory, exampleFederationMailboxes, exampleReceivingPractices, LOCAL_RECEIVING, writeExampleFederationFile } from '../../tooling/example-federation';
import { DEFAULT_INBOX_POLICY } from '../../activities/inbox/inbox-policy';
import { parseMeshConfig } from '../../integrations/mesh/config';
import { createPdsClient } from '../../integrations/pds/client';
import { ensureDevCodecKeyFile, parseCodecKeyring, type CodecKeyring } from '../../common/codec-keys';
import { buildDataConverter } from '../../common/data-converter';
import { createLogger } from '../../common/logger';
import { startMeshRouter, type MeshRouter } from '../../simulators/mesh-router/server';
import { startPdsDouble, type PdsDouble } from '../../simulators/pds/server';
import { RECEIVING_PRACTICE_ENV } from '../../simulators/receiving-practice/settings';
import type { SimulatorStats } from '../../simulators/receiving-practice/stats';
import { MESH_SANDBOX_MAILBOX_PASSWORD, startMeshSandbox, type MeshSandbox } from '../../tooling/mesh-sandbox';
import { PROJECT_ROOT, PROJECT_TOOLS_DIR } from '../../tooling/paths';
import { freePort, httpOk, startProcess, waitUntilReady, type ManagedProcess } from '../../tooling/processes';
import { startDevServer } from '../../tooling/temporal-dev-server';
import { startTemporalOnPostgres } from '../../tooling/temporal-on-postgres';
import { startPostgresServer, type PostgresServer } from '../../tooling/postgres-server';
import { openArchive } from '../../integrations/store/open-archive';
import { fieldEncryptionFromEnv } from '../../integrations/store/field-encryption';
import { createActivities } from '../../worker/activities';
import { buildWorkflowBundle } from '../../worker/bundle';
import { createFedreportWorker, startInboxPollers } from '../../worker/worker';
import type { EncounterActivities } from '../../workflows/encounter-activities';
import { ENCOUNTER_TASK_QUEUE } from '../../workflows/encounter-identity';
import type { InboxActivities } from '../../workflows/mesh-inbox-activities';
import { inboxTotalsQuery, meshInboxWorkflowId } from '../../workflows/mesh-inbox-workflow';

/** The hosting practice of every bench consultation (examples/consultation-*.json) and the mailbox it sends from. */
export const HOSTING_PRACTICE = 'Y90001';
export const SENDER_MAILBOX = 'X26ABC1';
/** Windows long enough that no bench run raises a missing-acknowledgement alert or completes an idle encounter. */
export const BENCH_TIMINGS: ServiceTimings = {
  infrastructureAckWindowMs: 3_600_000,
  businessAckWindowMs: 7_200_000,
  idleRetentionMs: 7_200_000,
};
/** The inbox and simulator poll this often: end-to-end latency, not MESH etiquette, is what a bench measures. */
export const BENCH_POLL_INTERVAL_MS = 500;

export interface BenchStackOptions {
  /** Names the bench's state folder (logs, database, MESH store), replaced on every run. */
  name: string;
  /** The hosting practice's quiet period, in the federation file's notation (`1s`, `3m`). */
  quietPeriod: string;
  /** The registered practices' mailboxes the reports reach (benchRecipientMailboxes): the simulator polls them. */
  recipientMailboxes: string[];
  /** `dev` (default): the dev server on SQLite. `cluster`: the Temporal server on PostgreSQL, as `npm run cluster`. */
  topology?: 'dev' | 'cluster';
  /**
   * The worker receives too, as in the local stack: Send Document messages in the practices' mailboxes are fedreport's
   * to take, and the practices acknowledge on receipt. Its pollers for those mailboxes start with `startReceiving`.
   */
  receiving?: boolean;
}

export interface BenchTemporal {
  address: string;
  namespace: string;
  process: ManagedProcess;
  /** The cluster's PostgreSQL (Temporal's databases), on the cluster topology. */
  postgres?: PostgresServer;
}

export interface SimulatorProcess {
  pid: number | undefined;
  stats(): Promise<SimulatorStats>;
  /** Stops it before the stack closes, e.g. to let fedreport receive in the same mailboxes. */
  stop(): Promise<void>;
}

export interface BenchStack {
  workDir: string;
  temporal: BenchTemporal;
  /** The dev server's SQLite file (its -wal file beside it). */
  dbFile: string;
  client: Client;
  keyring: CodecKeyring;
  /** mesh-sandbox, behind the router. */
  mesh: MeshSandbox;
  /** What every MESH client of the stack talks to. */
  router: MeshRouter;
  pds: PdsDouble;
  /** The archive database (Debian PostgreSQL, throw-away) every worker of the stack writes. */
  database: PostgresServer;
  recipientMailboxes: string[];
  /** Starts the real worker in this process: real adapters, inbox poller for the sending mailbox. */
  startWorker(): Promise<void>;
  /** Starts the in-process worker's pollers of the recipient mailboxes (with `receiving`: fedreport receives there). */
  startReceiving(): Promise<void>;
  /** Starts a worker with the same factory and settings on another task queue, e.g. the engine-ceiling workflows. */
  startWorkerFor(taskQueue: string, bundle: WorkflowBundleWithSourceMap, activities: EncounterActivities & InboxActivities): Promise<void>;
  /** Starts worker/main.ts as its own process, configured by environment only (as deployed), prebuilt bundle. */
  startWorkerProcess(): Promise<ManagedProcess>;
  /**
   * Starts the receiving-practice simulator as its own process (simulators/receiving-practice/main.ts), as the
   * practices' systems are elsewhere in production: its work must not share the bench's (and in-process worker's)
   * event loop. Its counters come from its admin endpoint.
   */
  startSimulator(): Promise<SimulatorProcess>;
  close(): Promise<void>;
}

let runtimeInstalled = false;

async function startBenchTemporal(topology: 'dev' | 'cluster', workDir: string, dbFile: string): Promise<BenchTemporal & { stop(): Promise<void> }> {
  if (topology === 'cluster') {
    const cluster = await startTemporalOnPostgres({ stateDir: workDir });
    return { ...cluster.temporal, process: cluster.temporal.process, postgres: cluster.postgres, stop: () => cluster.stop() };
  }
  const server = await startDevServer({ uiPort: null, dbFile, logFile: path.join(workDir, 'temporal-dev-server.log') });
  return { ...server, stop: () => server.process.stop() };
}

export async function startBenchStack(options: BenchStackOptions): Promise<BenchStack> {
  if (!runtimeInstalled) {
    try {
      Runtime.install({ logger: new DefaultLogger('WARN') });
    } catch {
      // Installed already by the process that runs the bench (a test run): one runtime serves every worker in it.
    }
    runtimeInstalled = true;
  }
  const workDir = path.join(PROJECT_TOOLS_DIR, 'bench', options.name);
  fs.rmSync(workDir, { recursive: true, force: true });
  fs.mkdirSync(workDir, { recursive: true });
  const stops: (() => Promise<unknown>)[] = [];
  const close = async (): Promise<void> => {
    for (const stop of stops.splice(0).reverse()) await stop().catch((error: unknown) => console.error('bench stack: stopping failed:', error));
  };
  try {
    const dbFile = path.join(workDir, 'temporal.sqlite');
    const [temporal, mesh, pds, database] = await Promise.all([
      startBenchTemporal(options.topology ?? 'dev', workDir, dbFile),
      startMeshSandbox({ dataDir: path.join(workDir, 'mesh-store'), mailboxes: exampleFederationMailboxes(), logFile: path.join(workDir, 'mesh-sandbox.log') }),
      startPdsDouble(),
      startPostgresServer({ logFile: path.join(workDir, 'postgresql.log') }),
    ]);
    stops.push(() => temporal.stop(), () => mesh.process.stop(), () => pds.close(), () => database.stop());
    const router = await startMeshRouter({ sandboxUrl: mesh.url, pdsUrl: pds.url, directory: exampleEndpointDirectory() });
    stops.push(() => router.close());
    const keysFile = ensureDevCodecKeyFile(workDir);
    const keyring = parseCodecKeyring(JSON.parse(fs.readFileSync(keysFile, 'utf8')), keysFile);
    const dataConverter = buildDataConverter(keyring);
    const client = new Client({ connection: await Connection.connect({ address: temporal.address }), namespace: temporal.namespace, dataConverter });
    stops.push(() => client.connection.close());
    const federationFile = writeExampleFederationFile(workDir, options.quietPeriod, options.receiving ? LOCAL_RECEIVING : {});
    const logger = createLogger('bench', 'warn');
    const meshConfig = parseMeshConfig({ url: router.url, mailbox: SENDER_MAILBOX, password: MESH_SANDBOX_MAILBOX_PASSWORD, sharedKey: mesh.sharedKey });

    const startWorkerFor: BenchStack['startWorkerFor'] = async (taskQueue, bundle, activities) => {
      const connection = await NativeConnection.connect({ address: temporal.address });
      const worker = await createFedreportWorker({ connection, namespace: temporal.namespace, taskQueue, dataConverter, workflowBundle: bundle, activities });
      const running = worker.run();
      stops.push(async () => {
        worker.shutdown();
        await running;
        await connection.close();
      });
    };

    return {
      workDir,
      temporal,
      dbFile,
      client,
      keyring,
      mesh,
      router,
      pds,
      database,
      recipientMailboxes: options.recipientMailboxes,
      startWorkerFor,
      async startWorker() {
        const archive = await openArchive({ database: { url: database.url, poolSize: 10 }, encryption: fieldEncryptionFromEnv(keyring, {}) });
        stops.push(() => archive.close());
        const activities = createActivities({
          temporal: client,
          settings: await openFederationSettings(federationFile, { logger }),
          pds: createPdsClient({ baseUrl: pds.url, timeoutMs: 10_000, auth: { mode: 'none' } }),
          mailboxes: meshMailboxes(meshConfig),
          archive: archive.repository,
          received: archive.received,
          timings: BENCH_TIMINGS,
          metadata: {},
          quarantineDir: path.join(workDir, 'quarantine'),
          inboxPolicy: { ...DEFAULT_INBOX_POLICY, receiveDocuments: options.receiving ?? false },
          logger,
        });
        await startWorkerFor(ENCOUNTER_TASK_QUEUE, await buildWorkflowBundle(), activities);
        await startInboxPollers(client, { mailboxes: [SENDER_MAILBOX], taskQueue: ENCOUNTER_TASK_QUEUE, pollIntervalMs: BENCH_POLL_INTERVAL_MS });
      },
      startReceiving: () =>
        startInboxPollers(client, { mailboxes: options.recipientMailboxes, taskQueue: ENCOUNTER_TASK_QUEUE, pollIntervalMs: BENCH_POLL_INTERVAL_MS }),
      async startWorkerProcess() {
        const bundleFile = path.join(workDir, 'workflow-bundle.js');
        fs.writeFileSync(bundleFile, (await buildWorkflowBundle()).code);
        const logFile = path.join(workDir, 'worker.log');
        const worker = startProcess({
          name: 'fedreport worker',
          command: process.execPath,
          // tsx as a loader keeps the worker one process, so its RSS is the worker's own.
          args: ['--import', 'tsx', path.join(PROJECT_ROOT, 'worker', 'main.ts')],
          logFile,
          env: {
            FEDREPORT_TEMPORAL_ADDRESS: temporal.address,
            FEDREPORT_TEMPORAL_NAMESPACE: temporal.namespace,
            FEDREPORT_CODEC_KEYS_FILE: keysFile,
            FEDREPORT_DATABASE_URL: database.url,
            FEDREPORT_WORKFLOW_BUNDLE: bundleFile,
            FEDREPORT_FEDERATION_FILE: federationFile,
            FEDREPORT_MESH_URL: router.url,
            FEDREPORT_MESH_MAILBOX: SENDER_MAILBOX,
            FEDREPORT_MESH_PASSWORD: MESH_SANDBOX_MAILBOX_PASSWORD,
            FEDREPORT_MESH_SHARED_KEY: mesh.sharedKey,
            FEDREPORT_PDS_BASE_URL: pds.url,
            // The environment's floor: one second (the in-process worker polls faster).
            FEDREPORT_INBOX_POLL_INTERVAL: '1s',
            FEDREPORT_INFRASTRUCTURE_ACK_WINDOW: `${BENCH_TIMINGS.infrastructureAckWindowMs / 1000}s`,
            FEDREPORT_BUSINESS_ACK_WINDOW: `${BENCH_TIMINGS.businessAckWindowMs / 1000}s`,
            FEDREPORT_IDLE_RETENTION: `${BENCH_TIMINGS.idleRetentionMs / 1000}s`,
            FEDREPORT_QUARANTINE_DIR: path.join(workDir, 'quarantine'),
            FEDREPORT_LOG_LEVEL: 'warn',
          },
        });
        stops.push(() => worker.stop());
        // The worker starts the sending mailbox's inbox poller once it runs: its answer to a query means it is up.
        const inbox = client.workflow.getHandle(meshInboxWorkflowId(SENDER_MAILBOX));
        await waitUntilReady(worker, () => client.withDeadline(Date.now() + 2_000, () => inbox.query(inboxTotalsQuery)).then(() => true), 120_000, logFile);
        return worker;
      },
      async startSimulator() {
        const adminUrl = `http://127.0.0.1:${await freePort()}`;
        const logFile = path.join(workDir, 'receiving-practice.log');
        const simulator = startProcess({
          name: 'receiving-practice simulator',
          command: process.execPath,
          args: ['--import', 'tsx', path.join(PROJECT_ROOT, 'simulators', 'receiving-practice', 'main.ts')],
          logFile,
          env: {
            [RECEIVING_PRACTICE_ENV.meshUrl]: router.url,
            [RECEIVING_PRACTICE_ENV.meshSharedKey]: mesh.sharedKey,
            [RECEIVING_PRACTICE_ENV.mailboxPassword]: MESH_SANDBOX_MAILBOX_PASSWORD,
            // Each practice answers from its own mailbox, as in the local stack.
            [RECEIVING_PRACTICE_ENV.mailboxes]: options.recipientMailboxes.join(','),
            // Each practice answers as itself, as the worker expects of a registered practice.
            [RECEIVING_PRACTICE_ENV.odsCodes]: Object.entries(exampleReceivingPractices(HOSTING_PRACTICE))
              .map(([mailbox, ods]) => `${mailbox}=${ods}`)
              .join(','),
            [RECEIVING_PRACTICE_ENV.pollIntervalMs]: String(BENCH_POLL_INTERVAL_MS),
            [RECEIVING_PRACTICE_ENV.adminPort]: new URL(adminUrl).port,
            [RECEIVING_PRACTICE_ENV.logLevel]: 'warn',
          },
        });
        stops.push(() => simulator.stop());
        await waitUntilReady(simulator, () => httpOk(`${adminUrl}/health`), 60_000, logFile);
        return {
          pid: simulator.child.pid,
          async stats() {
            const response = await fetch(`${adminUrl}/stats`);
            if (!response.ok) throw new Error(`simulator /stats answered ${response.status}`);
            return (await response.json()) as SimulatorStats;
          },
          stop: () => simulator.stop(),
        };
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

