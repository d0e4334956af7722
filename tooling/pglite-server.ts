/**
 * The local stack's embedded PostgreSQL: PGlite (PostgreSQL in WASM, no install) on a persistent data directory,
 * served over the PostgreSQL wire protocol on loopback with pglite-socket's connection handler, so the stack's
 * processes use the `pg` driver exactly as in production. Connections share PGlite's one session through
 * PgliteSessionQueue (one exchange or transaction at a time). PGlite allows one process per data directory.
 */
import net from 'node:net';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketHandler, type PGLiteSocketHandlerOptions } from '@electric-sql/pglite-socket';
import { PgliteSessionQueue } from './pglite-session-queue';
import { freePort, startProcess, tcpOpen, waitUntilReady, type ManagedProcess } from './processes';

export interface EmbeddedPostgres {
  /** postgres://… for FEDREPORT_DATABASE_URL. */
  readonly url: string;
  /** Stops accepting, closes every connection, then closes the database (flushing it to its directory). */
  close(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** Created on first use; reused afterwards (the archive survives restarts of the stack). */
  dataDir: string;
  /** 0 picks a free port. */
  port?: number;
}

export async function startEmbeddedPostgres({
  dataDir,
  port = 0,
}: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const db = await PGlite.create({ dataDir });
  // The handler's option type names pglite-socket's internal queue class; ours has the same methods.
  const queryQueue = new PgliteSessionQueue(db) as unknown as PGLiteSocketHandlerOptions['queryQueue'];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    new PGLiteSocketHandler({ queryQueue, closeOnDetach: true }).attach(socket).catch(() => socket.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.address() as net.AddressInfo;
  return {
    url: embeddedUrl(address.port),
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
      await db.close();
    },
  };
}

export interface EmbeddedPostgresProcess {
  readonly url: string;
  readonly process: ManagedProcess;
}

/**
 * The embedded server as a process of its own (this file's main), as the local stack and the tests run it: PGlite
 * loads its WASM with a dynamic import, which Jest's module sandbox does not allow, and a process stops cleanly on
 * SIGTERM like the stack's other servers.
 */
export async function startEmbeddedPostgresProcess(options: {
  dataDir: string;
  logFile: string;
  port?: number;
}): Promise<EmbeddedPostgresProcess> {
  const port = options.port ?? (await freePort());
  const proc = startProcess({
    name: 'PGlite (embedded PostgreSQL)',
    command: process.execPath,
    // tsx as a loader, not its CLI: one process, so the close on SIGTERM is not cut short by a wrapper exiting.
    args: ['--import', 'tsx', __filename, options.dataDir, String(port)],
    logFile: options.logFile,
  });
  await waitUntilReady(proc, () => tcpOpen(port), 60_000, options.logFile);
  return { url: embeddedUrl(port), process: proc };
}

const embeddedUrl = (port: number): string => `postgres://postgres@127.0.0.1:${port}/postgres`;

/** `tsx tooling/pglite-server.ts DATA_DIR PORT`: serves until SIGTERM or SIGINT, then closes the database. */
async function main(dataDir: string, port: number): Promise<void> {
  const server = await startEmbeddedPostgres({ dataDir, port });
  process.stdout.write(`serving ${dataDir} at ${server.url}\n`);
  let stopping = false;
  const stop = (): void => {
    // Ctrl-C reaches the whole process group and the stack then sends SIGTERM: one close.
    if (stopping) return;
    stopping = true;
    server.close().then(
      () => {
        process.stdout.write('database closed\n');
        process.exit(0);
      },
      (error: unknown) => {
        process.stderr.write(`closing the database failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

if (require.main === module) void main(process.argv[2] ?? 'memory://', Number(process.argv[3] ?? 0));
