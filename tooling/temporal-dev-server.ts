import { Connection } from '@temporalio/client';
import { FEDREPORT_SEARCH_ATTRIBUTES } from '../workflows/search-attributes';
import { freePort, httpOk, startProcess, tcpOpen, waitUntilReady, type ManagedProcess } from './processes';
import { ensureTemporalCli } from './temporal-cli';

/** How `temporal server start-dev --search-attribute NAME=TYPE` spells each type. */
const DEV_SERVER_TYPE_NAMES: Record<string, string> = {
  KEYWORD: 'Keyword',
  TEXT: 'Text',
  INT: 'Int',
  DOUBLE: 'Double',
  BOOL: 'Bool',
  DATETIME: 'Datetime',
  KEYWORD_LIST: 'KeywordList',
};

export interface DevServerOptions {
  port?: number;
  /** Web UI port; `null` runs headless (tests). */
  uiPort?: number | null;
  /** SQLite file for a server that survives restarts; in-memory when omitted. */
  dbFile?: string;
  /** Codec server the UI calls to decode payloads for operators. */
  codecEndpoint?: string;
  logFile: string;
  namespace?: string;
}

export interface DevServer {
  address: string;
  uiUrl: string | null;
  namespace: string;
  process: ManagedProcess;
}

/** Starts `temporal server start-dev` on loopback with the project's search attributes registered. */
export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const binary = await ensureTemporalCli();
  const port = options.port ?? (await freePort());
  const namespace = options.namespace ?? 'default';
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--namespace',
    namespace,
    '--log-level',
    'warn',
    '--sqlite-pragma',
    'journal_mode=WAL',
    '--sqlite-pragma',
    'synchronous=OFF',
    ...FEDREPORT_SEARCH_ATTRIBUTES.flatMap((key) => ['--search-attribute', `${key.name}=${DEV_SERVER_TYPE_NAMES[key.type]}`]),
  ];
  if (options.dbFile) args.push('--db-filename', options.dbFile);
  const uiPort = options.uiPort === undefined ? await freePort() : options.uiPort;
  if (uiPort === null) args.push('--headless');
  else args.push('--ui-port', String(uiPort), '--ui-ip', '127.0.0.1');
  if (options.codecEndpoint) args.push('--ui-codec-endpoint', options.codecEndpoint);
  // The metrics endpoint would otherwise bind a fixed port and clash between parallel servers.
  args.push('--metrics-port', String(await freePort()));

  const proc = startProcess({ name: 'temporal dev server', command: binary, args, logFile: options.logFile });
  const address = `127.0.0.1:${port}`;
  await waitUntilReady(proc, () => frontendServing(address, port), 60_000, options.logFile);
  const uiUrl = uiPort === null ? null : `http://127.0.0.1:${uiPort}`;
  if (uiUrl) await waitUntilReady(proc, () => httpOk(uiUrl), 30_000, options.logFile);
  return { address, uiUrl, namespace, process: proc };
}

export async function frontendServing(address: string, port: number): Promise<boolean> {
  if (!(await tcpOpen(port))) return false;
  const connection = await Connection.connect({ address, connectTimeout: 2000 });
  try {
    await connection.healthService.check({});
    return true;
  } finally {
    await connection.close();
  }
}
