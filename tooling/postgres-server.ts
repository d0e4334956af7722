/**
 * A throw-away PostgreSQL server for the tests: Debian's binaries (installed by the bootstrap when missing),
 * `initdb` into a fresh directory, listening on a free loopback port with trust authentication, removed on stop.
 * PostgreSQL refuses to run as root, so as root it runs as the `postgres` user the Debian package creates.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import {
  freePort,
  MissingToolchainError,
  startProcess,
  waitUntilReady,
  type ManagedProcess,
} from './processes';

const POSTGRES_USER = 'postgres';
const INSTALL_HINT = 'Install the Debian package postgresql (`npm test` does so itself when run as root).';

export interface PostgresServer {
  /** postgres://postgres@127.0.0.1:PORT/postgres */
  readonly url: string;
  readonly dataDir: string;
  /** The running server process (a new one after each restart). */
  readonly process: ManagedProcess;
  /** Fast shutdown (clients' sessions end), `downMs` with no server, then the same cluster on the same port again. */
  restart(downMs: number): Promise<void>;
  /** Fast shutdown, then the data directory is deleted. */
  stop(): Promise<void>;
}

/** The directory holding initdb and postgres: `pg_config --bindir`, else the newest /usr/lib/postgresql/N/bin. */
export function postgresBinDir(): string | undefined {
  const configured = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  const candidates = configured.status === 0 ? [configured.stdout.trim()] : [];
  const debianRoot = '/usr/lib/postgresql';
  if (fs.existsSync(debianRoot)) {
    const versions = fs
      .readdirSync(debianRoot)
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((version) => path.join(debianRoot, version, 'bin')));
  }
  return candidates.find(
    (dir) => fs.existsSync(path.join(dir, 'initdb')) && fs.existsSync(path.join(dir, 'postgres')),
  );
}

/** Runs a PostgreSQL binary as the current user, or as `postgres` when we are root. */
function asDatabaseUser(binary: string, args: string[]): { command: string; args: string[] } {
  return process.getuid?.() === 0
    ? { command: 'runuser', args: ['-u', POSTGRES_USER, '--', binary, ...args] }
    : { command: binary, args };
}

function runOrThrow(binary: string, args: string[], what: string): void {
  const { command, args: fullArgs } = asDatabaseUser(binary, args);
  const result = spawnSync(command, fullArgs, { encoding: 'utf8' });
  if (result.status !== 0)
    throw new Error(`${what} failed (${result.status}): ${result.stderr || result.stdout}`);
}

export async function startPostgresServer({ logFile }: { logFile: string }): Promise<PostgresServer> {
  const binDir = postgresBinDir();
  if (!binDir) throw new MissingToolchainError('PostgreSQL (initdb, postgres)', INSTALL_HINT);
  // Under the system temp folder: the `postgres` user can reach it whatever the checkout's permissions are.
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fedreport-postgres-'));
  if (process.getuid?.() === 0) fs.chownSync(dataDir, ...postgresUserIds());
  runOrThrow(
    path.join(binDir, 'initdb'),
    ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync'],
    'initdb',
  );
  const port = await freePort();
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const launch = async (): Promise<ManagedProcess> => {
    const proc = startProcess({ name: 'PostgreSQL', ...postgresCommand(binDir, dataDir, port), logFile });
    await waitUntilReady(proc, () => acceptsQueries(url), 30_000, logFile);
    return proc;
  };
  const shutDown = async (proc: ManagedProcess): Promise<void> => {
    // postgres's SIGTERM waits for clients to leave; a fast shutdown ends their sessions.
    if (proc.child.exitCode === null)
      runOrThrow(path.join(binDir, 'pg_ctl'), ['-D', dataDir, '-m', 'fast', '-w', 'stop'], 'pg_ctl stop');
    await proc.stop();
  };
  let proc = await launch();
  return {
    url,
    dataDir,
    get process() {
      return proc;
    },
    async restart(downMs) {
      await shutDown(proc);
      await new Promise((resolve) => setTimeout(resolve, downMs));
      proc = await launch();
    },
    async stop() {
      await shutDown(proc);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function postgresCommand(binDir: string, dataDir: string, port: number): { command: string; args: string[] } {
  return asDatabaseUser(path.join(binDir, 'postgres'), [
    '-D',
    dataDir,
    '-p',
    String(port),
    '-k',
    dataDir,
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'fsync=off',
  ]);
}

async function acceptsQueries(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function postgresUserIds(): [number, number] {
  const id = (flag: string): string =>
    spawnSync('id', [flag, POSTGRES_USER], { encoding: 'utf8' }).stdout.trim();
  const [uid, gid] = [id('-u'), id('-g')];
  if (!/^\d+$/.test(uid) || !/^\d+$/.test(gid)) {
    throw new MissingToolchainError(
      `the ${POSTGRES_USER} user`,
      `PostgreSQL refuses to run as root; ${INSTALL_HINT}`,
    );
  }
  return [Number(uid), Number(gid)];
}
