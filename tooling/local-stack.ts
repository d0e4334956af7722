/**
 * `npm start`: the whole local stack on embedded defaults, on loopback — Temporal dev server + Web UI (decoding
 * payloads through the codec server), MESH (the MESH router in front of mesh-sandbox, resolving GPPROVIDER addresses
 * to the registered practices' mailboxes), the PDS double, the worker (sending for the hosting practice and receiving
 * for the registered ones: a federation talking to itself through MESH), the hook API, and the archive database (PGlite
 * served over the PostgreSQL wire protocol, or the server of FEDREPORT_DATABASE_URL when set). Ctrl-C or SIGTERM stops everything. Ports are fixed so the README's URLs
 * work; each moves with an environment variable. `npm run demo` then posts example consultations to it.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AesGcmPayloadCodec, payloadCodecOptionsFromEnv } from '../common/payload-codec';
import { ensureDevCodecKeyFile, parseCodecKeyring } from '../common/codec-keys';
import { startCodecServer } from '../client/codec-server/server';
import { loadEndpointDirectory } from '../simulators/mesh-router/endpoint-directory';
import { startMeshRouter, type MeshRouter } from '../simulators/mesh-router/server';
import { loadPdsPatientsFile, PDS_PATIENTS_FILE_ENV } from '../simulators/pds/patients-file';
import { startPdsDouble } from '../simulators/pds/server';
import { bootstrap, BOOTSTRAP_STEPS, CLUSTER_BOOTSTRAP_STEPS } from './bootstrap';
import { startClusterTemporal } from './cluster';
import {
  exampleEndpointDirectory,
  exampleFederationMailboxes,
  exampleFederationSettings,
  LOCAL_RECEIVING,
  writeExampleFederationFile,
} from './example-federation';
import {
  MESH_SANDBOX_BUILTIN_MAILBOXES,
  MESH_SANDBOX_MAILBOX_PASSWORD,
  startMeshSandbox,
  type MeshSandbox,
} from './mesh-sandbox';
import { PROJECT_ROOT, PROJECT_TOOLS_DIR } from './paths';
import { startEmbeddedPostgresProcess } from './pglite-server';
import { startProgress } from './progress';
import { freePort, httpOk, startProcess, tcpOpen, waitUntilReady, type ManagedProcess } from './processes';
import { startDevServer } from './temporal-dev-server';

/**
 * `dev`: one dev server (SQLite), one worker, one API. `cluster` (`npm run cluster`): the production topology, the
 * Temporal server on PostgreSQL with its Web UI, two workers and two APIs (docs/deployment.md).
 */
type Topology = 'dev' | 'cluster';
const PROCESS_COUNTS: Record<Topology, { workers: number; apis: number }> = {
  dev: { workers: 1, apis: 1 },
  cluster: { workers: 2, apis: 2 },
};

function topologyFrom(argv: string[]): Topology {
  const index = argv.indexOf('--topology');
  const value = index === -1 ? 'dev' : argv[index + 1];
  if (value !== 'dev' && value !== 'cluster') throw new Error(`--topology must be dev or cluster, got "${value}"`);
  return value;
}

interface LocalTemporal {
  address: string;
  namespace: string;
  uiUrl: string | null;
  /** The cluster's archive database (on its PostgreSQL); the dev topology has PGlite for that. */
  archiveDatabaseUrl?: string;
  description: string;
  processes: ManagedProcess[];
  stop(): Promise<void>;
}

async function startLocalTemporal(
  topology: Topology,
  options: { temporalPort: number; uiPort: number; codecEndpoint: string; logFile: string },
): Promise<LocalTemporal> {
  if (topology === 'cluster') {
    const cluster = await startClusterTemporal({ stateDir: STATE_DIR, ...options });
    const data = cluster.postgresDataDir ? `data in ${path.relative(process.cwd(), cluster.postgresDataDir)}` : 'throw-away data';
    return { ...cluster, description: `Temporal server on PostgreSQL ${cluster.postgresUrl} (${data})` };
  }
  const server = await startDevServer({
    port: options.temporalPort,
    uiPort: options.uiPort,
    dbFile: path.join(STATE_DIR, 'temporal.sqlite'),
    codecEndpoint: options.codecEndpoint,
    logFile: options.logFile,
  });
  return { ...server, description: 'Temporal dev server (SQLite)', processes: [server.process], stop: () => server.process.stop() };
}

/** Logs, the Temporal SQLite file, MESH store, archive database, codec keys; FEDREPORT_STATE_DIR moves them (tests run a second stack). */
export const STATE_DIR = path.resolve(
  process.env.FEDREPORT_STATE_DIR ?? path.join(PROJECT_TOOLS_DIR, 'local-stack'),
);
/** What `npm run demo` needs to reach the stack: URLs and the local API token. */
export const STACK_FILE = path.join(STATE_DIR, 'stack.json');

interface PortSetting {
  env: string;
  fallback: number;
  what: string;
}

const PORTS = {
  temporal: { env: 'FEDREPORT_TEMPORAL_PORT', fallback: 7233, what: 'Temporal frontend (gRPC)' },
  temporalUi: { env: 'FEDREPORT_TEMPORAL_UI_PORT', fallback: 8233, what: 'Temporal Web UI' },
  mesh: { env: 'FEDREPORT_MESH_PORT', fallback: 8700, what: 'MESH (router in front of mesh-sandbox)' },
  pds: { env: 'FEDREPORT_PDS_PORT', fallback: 9000, what: 'PDS double' },
  api: { env: 'FEDREPORT_API_PORT', fallback: 8090, what: 'hook API' },
  codec: { env: 'FEDREPORT_CODEC_SERVER_PORT', fallback: 8091, what: 'codec server' },
  database: { env: 'FEDREPORT_LOCAL_DATABASE_PORT', fallback: 8093, what: 'embedded PostgreSQL (PGlite)' },
} satisfies Record<string, PortSetting>;

/** The example federation with a short quiet period, so a newcomer sees reports go out within a minute. */
const LOCAL_QUIET_PERIOD = process.env.FEDREPORT_LOCAL_QUIET_PERIOD ?? '15s';
/** Replaces the MESH router's endpoint directory (built from the federation file) with a JSON file. */
const MESH_ROUTER_DIRECTORY_FILE_ENV = 'FEDREPORT_MESH_ROUTER_DIRECTORY_FILE';

export interface StackInfo {
  apiUrl: string;
  apiToken: string;
  uiUrl: string;
  temporalAddress: string;
  /** The MESH router: what every MESH client of the stack uses. */
  meshUrl: string;
  /** mesh-sandbox itself, behind the router. */
  meshSandboxUrl: string;
  pdsUrl: string;
}

async function portFor(setting: PortSetting): Promise<number> {
  const raw = process.env[setting.env];
  const port = raw === undefined ? setting.fallback : Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`${setting.env} must be a port number (1-65535), got "${raw}"`);
  }
  if (await tcpOpen(port)) {
    throw new Error(
      `port ${port} for the ${setting.what} is already in use: stop what holds it or set ${setting.env}`,
    );
  }
  return port;
}

/** A secret kept in the state dir, so URLs and tokens stay the same across restarts of the local stack. */
function localSecret(name: string): string {
  const file = path.join(STATE_DIR, 'secrets.json');
  const secrets = fs.existsSync(file)
    ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>)
    : {};
  secrets[name] ??= crypto.randomBytes(24).toString('base64url');
  fs.writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets[name];
}

/**
 * The API's credentials file: the local token acts for the example federation's practices (the demo practices), as a
 * clinical system's token would for the practices it hosts (docs/api.md, Credentials).
 */
function writeLocalApiCredentials(apiToken: string): string {
  const file = path.join(STATE_DIR, 'api-credentials.json');
  const practices = Object.values(exampleFederationSettings().practices).map((p) => p.odsCode);
  const credentials = { tokens: [{ name: 'local-demo', token: apiToken, practices }] };
  fs.writeFileSync(file, JSON.stringify(credentials, null, 2), { mode: 0o600 });
  return file;
}

/** MESH as the stack's clients see it: the router on the MESH port, mesh-sandbox behind it on a free port. */
async function startLocalMesh(
  port: number,
  pdsUrl: string,
  logFile: string,
): Promise<{ sandbox: MeshSandbox; router: MeshRouter }> {
  const directoryFile = process.env[MESH_ROUTER_DIRECTORY_FILE_ENV];
  const directory = directoryFile ? await loadEndpointDirectory(directoryFile) : exampleEndpointDirectory();
  const sandbox = await startMeshSandbox({
    port: await freePort(),
    dataDir: path.join(STATE_DIR, 'mesh-store'),
    mailboxes: [...exampleFederationMailboxes(), ...directory.mailboxIds()],
    keepMessages: true,
    logFile,
  });
  const router = await startMeshRouter({
    sandboxUrl: sandbox.url,
    pdsUrl,
    directory,
    dobFormat: process.env.FEDREPORT_MEX_TO_DOB_FORMAT === 'DDMMYYYY' ? 'DDMMYYYY' : 'YYYYMMDD',
    port,
  }).catch(async (error: unknown) => {
    await sandbox.process.stop();
    throw error;
  });
  return { sandbox, router };
}

/**
 * The archive database: FEDREPORT_DATABASE_URL when set (a real PostgreSQL), else PGlite on a data directory in the
 * state folder, so the archive survives restarts. PGlite's WASM start takes a few seconds, hence the progress line.
 */
async function startLocalDatabase(port: number, logFile: string): Promise<{ url: string; process?: ManagedProcess }> {
  const configured = process.env.FEDREPORT_DATABASE_URL?.trim();
  if (configured) return { url: configured };
  const progress = startProgress('archive database (PGlite, embedded PostgreSQL)');
  try {
    const embedded = await startEmbeddedPostgresProcess({ dataDir: path.join(STATE_DIR, 'archive-db'), port, logFile });
    progress.done(`serving on port ${port}`);
    return embedded;
  } catch (error) {
    progress.fail('did not start');
    throw error;
  }
}

/** The PDS double with the patients of FEDREPORT_PDS_PATIENTS_FILE, when set, besides its own. */
async function startLocalPds(port: number) {
  const patientsFile = process.env[PDS_PATIENTS_FILE_ENV];
  return startPdsDouble({
    port,
    ...(patientsFile ? { patients: await loadPdsPatientsFile(patientsFile) } : {}),
  });
}

function archiveDatabaseLine(database: { url: string; process?: ManagedProcess }, temporal: LocalTemporal): string {
  if (database.process) return `${database.url}   (PGlite, data in ${path.join(STATE_DIR, 'archive-db')})`;
  return database.url === temporal.archiveDatabaseUrl ? `${database.url}   (on the cluster's PostgreSQL)` : 'FEDREPORT_DATABASE_URL';
}

async function main(): Promise<void> {
  const topology = topologyFrom(process.argv.slice(2));
  await bootstrap(topology === 'cluster' ? CLUSTER_BOOTSTRAP_STEPS : BOOTSTRAP_STEPS);
  fs.mkdirSync(STATE_DIR, { recursive: true });
  const log = (name: string): string => path.join(STATE_DIR, `${name}.log`);
  const running: ManagedProcess[] = [];
  const closers: (() => Promise<unknown>)[] = [];
  /** Stopped last, once nothing uses them any more (Temporal, its database). */
  const infrastructure: (() => Promise<unknown>)[] = [];
  let stopping = false;
  const stopAll = async (exitCode: number): Promise<never> => {
    if (!stopping) {
      stopping = true;
      process.stderr.write('\nstopping the local stack…\n');
      await Promise.allSettled(closers.map((close) => close()));
      await Promise.all(running.map((p) => p.stop()));
      for (const stop of infrastructure) await stop().catch(() => undefined);
      process.stderr.write('stopped.\n');
    }
    process.exit(exitCode);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  try {
    const ports = Object.fromEntries(
      await Promise.all(
        Object.entries(PORTS).map(async ([name, setting]) => [name, await portFor(setting)] as const),
      ),
    ) as Record<keyof typeof PORTS, number>;
    const keysFile = ensureDevCodecKeyFile(STATE_DIR);
    const keyring = parseCodecKeyring(JSON.parse(fs.readFileSync(keysFile, 'utf8')), keysFile);
    const uiUrl = `http://127.0.0.1:${ports.temporalUi}`;
    const codecToken = localSecret('codecServerToken');
    const apiToken = localSecret('apiToken');

    const codecServer = await startCodecServer({
      codec: new AesGcmPayloadCodec(keyring, payloadCodecOptionsFromEnv()),
      tokens: [codecToken],
      allowedOrigins: [uiUrl, `http://localhost:${ports.temporalUi}`],
      port: ports.codec,
    });
    closers.push(() => codecServer.close());
    const pds = await startLocalPds(ports.pds);
    closers.push(() => pds.close());
    const [temporal, { sandbox, router: mesh }] = await Promise.all([
      startLocalTemporal(topology, {
        temporalPort: ports.temporal,
        uiPort: ports.temporalUi,
        codecEndpoint: codecServer.uiEndpoint(codecToken),
        logFile: log('temporal'),
      }),
      startLocalMesh(ports.mesh, pds.url, log('mesh-sandbox')),
    ]);
    infrastructure.push(() => temporal.stop());
    const database =
      temporal.archiveDatabaseUrl && !process.env.FEDREPORT_DATABASE_URL?.trim()
        ? { url: temporal.archiveDatabaseUrl, process: undefined }
        : await startLocalDatabase(ports.database, log('archive-db'));
    running.push(sandbox.process, ...(database.process ? [database.process] : []));
    closers.push(() => mesh.close());

    // The worker and the API run as their own processes, configured only by environment, as in production.
    const commonEnv = {
      FEDREPORT_TEMPORAL_ADDRESS: temporal.address,
      FEDREPORT_TEMPORAL_NAMESPACE: temporal.namespace,
      FEDREPORT_CODEC_KEYS_FILE: keysFile,
      FEDREPORT_DATABASE_URL: database.url,
      FEDREPORT_LOG_LEVEL: 'info',
    };
    const tsx = require.resolve('tsx/cli');
    const counts = PROCESS_COUNTS[topology];
    const numbered = (name: string, i: number): string => (i === 0 ? name : `${name}-${i + 1}`);
    const workers = Array.from({ length: counts.workers }, (_, i) => startProcess({
      name: `fedreport worker ${i + 1}`,
      command: process.execPath,
      args: [tsx, path.join(PROJECT_ROOT, 'worker', 'main.ts')],
      logFile: log(numbered('worker', i)),
      env: {
        ...commonEnv,
        FEDREPORT_FEDERATION_FILE: writeExampleFederationFile(STATE_DIR, LOCAL_QUIET_PERIOD, LOCAL_RECEIVING),
        FEDREPORT_MESH_URL: mesh.url,
        FEDREPORT_MESH_MAILBOX: MESH_SANDBOX_BUILTIN_MAILBOXES[0],
        FEDREPORT_MESH_PASSWORD: MESH_SANDBOX_MAILBOX_PASSWORD,
        FEDREPORT_MESH_SHARED_KEY: sandbox.sharedKey,
        FEDREPORT_PDS_BASE_URL: pds.url,
        FEDREPORT_INBOX_POLL_INTERVAL: '2s',
        FEDREPORT_INFRASTRUCTURE_ACK_WINDOW: '2m',
        FEDREPORT_BUSINESS_ACK_WINDOW: '5m',
        FEDREPORT_QUARANTINE_DIR: path.join(STATE_DIR, 'quarantine'),
        // The registered practices' reports arrive in their mailboxes: fedreport's receiver files and answers them.
        FEDREPORT_INBOX_RECEIVE_DOCUMENTS: 'true',
      },
    }));
    // The first API on the fixed port (the README's URLs), any further one on a free port.
    const apiPorts = [ports.api, ...(await Promise.all(Array.from({ length: counts.apis - 1 }, () => freePort())))];
    const apiUrls = apiPorts.map((port) => `http://127.0.0.1:${port}`);
    const apiUrl = apiUrls[0]!;
    const credentialsFile = writeLocalApiCredentials(apiToken);
    const apis = apiPorts.map((port, i) => startProcess({
      name: `fedreport API ${i + 1}`,
      command: process.execPath,
      args: [tsx, path.join(PROJECT_ROOT, 'client', 'api', 'main.ts')],
      logFile: log(numbered('api', i)),
      env: { ...commonEnv, FEDREPORT_API_PORT: String(port), FEDREPORT_API_CREDENTIALS_FILE: credentialsFile },
    }));
    running.push(...workers, ...apis);
    await Promise.all(apis.map((api, i) => waitUntilReady(api, () => httpOk(`${apiUrls[i]}/ready`), 60_000, log(numbered('api', i)))));

    for (const proc of [...running, ...temporal.processes]) {
      proc.child.once('exit', (code) => {
        if (stopping) return;
        process.stderr.write(`${proc.name} exited unexpectedly (${code}); see ${STATE_DIR}\n`);
        void stopAll(1);
      });
    }
    const info: StackInfo = {
      apiUrl,
      apiToken,
      uiUrl: temporal.uiUrl ?? uiUrl,
      temporalAddress: temporal.address,
      meshUrl: mesh.url,
      meshSandboxUrl: sandbox.url,
      pdsUrl: pds.url,
    };
    fs.writeFileSync(STACK_FILE, JSON.stringify(info, null, 2), { mode: 0o600 });
    process.stdout.write(
      [
        '',
        'fedreport local stack is up:',
        `  Temporal Web UI     ${info.uiUrl}   (payloads decoded by the codec server)`,
        `  Temporal frontend   ${temporal.address}   (namespace ${temporal.namespace}; ${temporal.description})`,
        `  Hook API            ${apiUrls.join(', ')}   (bearer token in ${path.relative(process.cwd(), STACK_FILE)}; OpenAPI at /openapi.json)`,
        `  Workers             ${workers.length} process(es) sharing the task queue`,
        `  Codec server        ${codecServer.url}`,
        `  MESH                ${mesh.url}   (router in front of mesh-sandbox; shared key ${sandbox.sharedKey}, practice mailboxes X26ABC1-3, password "${MESH_SANDBOX_MAILBOX_PASSWORD}")`,
        `  Archive database    ${archiveDatabaseLine(database, temporal)}`,
        `  PDS double          ${pds.url}${process.env[PDS_PATIENTS_FILE_ENV] ? `   (plus the patients of ${PDS_PATIENTS_FILE_ENV})` : ''}`,
        `  Receiving           every practice's mailbox, by fedreport's receiver (files on receipt, answers 20013 and 30001)`,
        `  quiet period        ${LOCAL_QUIET_PERIOD} (FEDREPORT_LOCAL_QUIET_PERIOD)`,
        `  logs and state      ${path.relative(process.cwd(), STATE_DIR) || STATE_DIR}`,
        '',
        'Try it: npm run demo      Press Ctrl-C to stop.',
        '',
      ].join('\n'),
    );
  } catch (error) {
    process.stderr.write(`${topology === 'cluster' ? 'npm run cluster' : 'npm start'} failed: ${error instanceof Error ? error.message : String(error)}\n`);
    await stopAll(1);
  }
}

if (require.main === module) {
  // Before anything runs (bootstrap, arguments): a missing toolchain or a bad option is one clear line, not a stack.
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
