/**
 * The Temporal server as production runs it (`npm run cluster`, the cluster chaos scenario and benchmark): built from
 * the Go module proxy with `go install` (cached per version, like the CLI), persistence and SQL visibility on a
 * PostgreSQL server, both schemas created and upgraded with Temporal's SQL tool, fedreport's namespace and search
 * attributes registered. Restartable in place: same ports, same databases.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import pg from 'pg';
import { FEDREPORT_SEARCH_ATTRIBUTES } from '../workflows/search-attributes';
import { goInstall, goModuleDir } from './go-install';
import { cacheRoot } from './paths';
import { ensureDatabase, type PostgresServer } from './postgres-server';
import { freePortInRange, startProcess, waitUntilReady, type ManagedProcess } from './processes';
import { startProgress } from './progress';
import { frontendServing } from './temporal-dev-server';
import { TOOL_VERSIONS } from './versions';

const SERVER_MODULE = 'go.temporal.io/server';
/** Temporal's own databases beside fedreport's on the same PostgreSQL server; `schema` names the schema folder. */
const TEMPORAL_DATABASES = [
  { name: 'temporal', schema: 'temporal' },
  { name: 'temporal_visibility', schema: 'visibility' },
] as const;
const RETENTION_MS = 7 * 24 * 3600_000;
const SERVICES = ['frontend', 'history', 'matching', 'worker'] as const;
/**
 * New search attributes are visible at once rather than after the cache's next refresh, as on the dev server; that
 * reads persistence more often, so its rate limits go up by as much as the dev server's (Temporal CLI defaults).
 */
const DYNAMIC_CONFIG = {
  'system.forceSearchAttributesCacheRefreshOnRead': [{ value: true }],
  'frontend.persistenceMaxQPS': [{ value: 10_000 }],
  'history.persistenceMaxQPS': [{ value: 45_000 }],
};
/** Temporal keeps each service's ports in a smallint column (cluster_membership): they must stay below 32768. */
const servicePort = (): Promise<number> => freePortInRange(20_000, 32_767);
/** Shards fix how far history work spreads; they cannot change after the first start (docs/deployment.md). */
const HISTORY_SHARDS = 4;

export interface TemporalServerTools {
  server: string;
  sqlTool: string;
  /** schema/postgresql/v12 of the server module: `temporal/versioned`, `visibility/versioned`. */
  schemaDir: string;
}

export interface TemporalServerOptions {
  postgres: PostgresServer;
  /** Config and dynamic config are written here. */
  stateDir: string;
  logFile: string;
  /** Frontend gRPC port; a free one when omitted. */
  port?: number;
  namespace?: string;
}

export interface TemporalServer {
  address: string;
  namespace: string;
  readonly process: ManagedProcess;
  /** Stops the server, waits `downMs`, starts it again on the same ports and databases. */
  restart(downMs: number): Promise<void>;
  stop(): Promise<void>;
}

function toolsDir(): string {
  return path.join(cacheRoot(), `temporal-server-${TOOL_VERSIONS.temporalServer}`);
}

/** Builds the server and the SQL tool once per version and keeps the module's PostgreSQL schemas beside them. */
export async function ensureTemporalServer(): Promise<TemporalServerTools> {
  const dir = toolsDir();
  const tools = {
    server: path.join(dir, 'server'),
    sqlTool: path.join(dir, 'sql'),
    schemaDir: path.join(dir, 'schema'),
  };
  if (fs.existsSync(tools.server) && fs.existsSync(tools.sqlTool) && fs.existsSync(tools.schemaDir))
    return tools;
  const moduleAtVersion = `${SERVER_MODULE}@v${TOOL_VERSIONS.temporalServer}`;
  await goInstall({
    title: `Temporal server and SQL tool v${TOOL_VERSIONS.temporalServer}`,
    packages: [
      `${SERVER_MODULE}/cmd/server@v${TOOL_VERSIONS.temporalServer}`,
      `${SERVER_MODULE}/cmd/tools/sql@v${TOOL_VERSIONS.temporalServer}`,
    ],
    targetDir: dir,
    addFiles: (staging) => {
      fs.cpSync(
        path.join(goModuleDir(moduleAtVersion), 'schema', 'postgresql', 'v12'),
        path.join(staging, 'schema'),
        { recursive: true },
      );
      // Copied read-only from the module cache: a later rebuild must be able to replace them.
      spawnSync('chmod', ['-R', 'u+w', path.join(staging, 'schema')]);
    },
  });
  return tools;
}

/** Creates both databases when missing and brings their schemas to this server version (what an upgrade runs too). */
export async function updateTemporalSchemas(
  tools: TemporalServerTools,
  postgres: PostgresServer,
): Promise<void> {
  const progress = startProgress(
    `Temporal schemas on PostgreSQL (SQL tool, v${TOOL_VERSIONS.temporalServer})`,
  );
  for (const database of TEMPORAL_DATABASES) {
    const databaseUrl = await ensureDatabase(postgres.url, database.name);
    const sql = (...args: string[]): string => runSqlTool(tools, postgres, database.name, args);
    // setup-schema records version 0.0 once; every run then applies the versioned steps still missing.
    if (!(await hasSchemaVersionTable(databaseUrl))) sql('setup-schema', '-v', '0.0');
    sql('update-schema', '-d', path.join(tools.schemaDir, database.schema, 'versioned'));
    progress.update(`${database.name} up to date`);
  }
  progress.done('temporal and temporal_visibility up to date');
}

function runSqlTool(
  tools: TemporalServerTools,
  postgres: PostgresServer,
  database: string,
  args: string[],
): string {
  const connection = [
    '--plugin',
    'postgres12',
    '--ep',
    '127.0.0.1',
    '-p',
    String(postgres.port),
    '-u',
    'postgres',
    '--db',
    database,
  ];
  const result = spawnSync(tools.sqlTool, [...connection, ...args], { encoding: 'utf8' });
  if (result.status !== 0)
    throw new Error(`temporal SQL tool ${args[0]} on ${database} failed: ${result.stderr || result.stdout}`);
  return result.stdout;
}

async function hasSchemaVersionTable(databaseUrl: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const found = await client.query(
      "select 1 from information_schema.tables where table_name = 'schema_version'",
    );
    return (found.rowCount ?? 0) > 0;
  } finally {
    await client.end();
  }
}

/** Starts the server on loopback after bringing the schemas up to date, then registers namespace and search attributes. */
export async function startTemporalServer(options: TemporalServerOptions): Promise<TemporalServer> {
  const tools = await ensureTemporalServer();
  await updateTemporalSchemas(tools, options.postgres);
  const port = options.port ?? (await servicePort());
  const configDir = path.join(options.stateDir, 'temporal-config');
  await writeServerConfig(configDir, options.postgres, port);
  const address = `127.0.0.1:${port}`;
  const namespace = options.namespace ?? 'default';
  const launch = async (): Promise<ManagedProcess> => {
    const started = startProcess({
      name: 'Temporal server',
      command: tools.server,
      args: ['--root', configDir, '--config', '.', '--env', 'cluster', '--allow-no-auth', 'start'],
      logFile: options.logFile,
    });
    await waitUntilReady(started, () => frontendServing(address, port), 90_000, options.logFile);
    return started;
  };
  let proc = await launch();
  await registerNamespace(address, namespace);
  return {
    address,
    namespace,
    get process() {
      return proc;
    },
    async restart(downMs) {
      await proc.stop();
      await new Promise((resolve) => setTimeout(resolve, downMs));
      proc = await launch();
    },
    stop: () => proc.stop(),
  };
}

/** cluster.yaml (the server's config, every service on loopback on free ports) and its dynamic config file. */
async function writeServerConfig(
  configDir: string,
  postgres: PostgresServer,
  frontendPort: number,
): Promise<void> {
  fs.mkdirSync(configDir, { recursive: true });
  const rpc: Record<string, object> = {};
  for (const service of SERVICES) {
    rpc[service] = {
      rpc: {
        grpcPort: service === 'frontend' ? frontendPort : await servicePort(),
        membershipPort: await servicePort(),
        bindOnLocalHost: true,
        ...(service === 'frontend' ? { httpPort: await servicePort() } : {}),
      },
    };
  }
  const datastore = (databaseName: string, maxConns: number) => ({
    sql: {
      pluginName: 'postgres12',
      databaseName,
      connectAddr: `127.0.0.1:${postgres.port}`,
      connectProtocol: 'tcp',
      user: 'postgres',
      password: '',
      maxConns,
      maxIdleConns: maxConns,
      maxConnLifetime: '1h',
    },
  });
  const dynamicConfigFile = path.join(configDir, 'dynamic-config.yaml');
  const config = {
    log: { stdout: true, level: 'warn' },
    persistence: {
      defaultStore: 'postgres-default',
      visibilityStore: 'postgres-visibility',
      numHistoryShards: HISTORY_SHARDS,
      datastores: {
        'postgres-default': datastore('temporal', 20),
        'postgres-visibility': datastore('temporal_visibility', 10),
      },
    },
    global: { membership: { maxJoinDuration: '30s', broadcastAddress: '127.0.0.1' } },
    services: rpc,
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: {
        active: {
          enabled: true,
          initialFailoverVersion: 1,
          rpcName: 'frontend',
          rpcAddress: `127.0.0.1:${frontendPort}`,
        },
      },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    dynamicConfigClient: { filepath: dynamicConfigFile, pollInterval: '10s' },
  };
  // JSON is YAML: no YAML library needed for a file only the server reads.
  fs.writeFileSync(path.join(configDir, 'cluster.yaml'), JSON.stringify(config, null, 2));
  fs.writeFileSync(dynamicConfigFile, JSON.stringify(DYNAMIC_CONFIG, null, 2));
}

/** The namespace and fedreport's search attributes, when missing (idempotent: every start runs it). */
async function registerNamespace(address: string, namespace: string): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    const namespaces = await connection.workflowService.listNamespaces({});
    if (!namespaces.namespaces.some((n) => n.namespaceInfo?.name === namespace)) {
      await connection.workflowService.registerNamespace({
        namespace,
        workflowExecutionRetentionPeriod: msToTs(RETENTION_MS),
      });
    }
    // A new namespace takes a moment to reach every service (the namespace cache refreshes every 2 s).
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        await addMissingSearchAttributes(connection, namespace);
        return;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
    }
  } finally {
    await connection.close();
  }
}

async function addMissingSearchAttributes(connection: Connection, namespace: string): Promise<void> {
  const existing = await connection.operatorService.listSearchAttributes({ namespace });
  const missing = FEDREPORT_SEARCH_ATTRIBUTES.filter(
    (key) => !(key.name in (existing.customAttributes ?? {})),
  );
  if (missing.length === 0) return;
  const IndexedValueType = temporal.api.enums.v1.IndexedValueType;
  await connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(
      missing.map((key) => [
        key.name,
        IndexedValueType[`INDEXED_VALUE_TYPE_${key.type}` as keyof typeof IndexedValueType],
      ]),
    ),
  });
}
