/**
 * A PostgreSQL server on loopback for the tests and the local cluster: Debian's binaries (installed by the bootstrap
 * when missing), `initdb` into a fresh directory (removed on stop) or into a kept one (reused on the next start),
 * listening on a free loopback port with trust authentication. PostgreSQL refuses to run as root, so as root it runs
 * as the `postgres` user the Debian package creates.
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
  readonly port: number;
  readonly dataDir: string;
  readonly process: ManagedProcess;
  /** Fast shutdown, `downMs` of nothing listening, then the same server on the same port and data again. */
  restart(downMs: number): Promise<void>;
  /** Fast shutdown, then the data directory is deleted unless it was given (kept). */
  stop(): Promise<void>;
}

export interface PostgresServerOptions {
  logFile: string;
  /** A data directory kept between runs (created and initialised when empty); a throw-away one when omitted. */
  dataDir?: string;
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

export async function startPostgresServer(options: PostgresServerOptions): Promise<PostgresServer> {
  const binDir = postgresBinDir();
  if (!binDir) throw new MissingToolchainError('PostgreSQL (initdb, postgres)', INSTALL_HINT);
  const dataDir = prepareDataDir(binDir, options.dataDir);
  const port = await freePort();
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const launch = async (): Promise<ManagedProcess> => {
    const server = asDatabaseUser(path.join(binDir, 'postgres'), [
      ...['-D', dataDir, '-p', String(port), '-k', dataDir],
      ...['-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off'],
    ]);
    const started = startProcess({ name: 'PostgreSQL', command: server.command, args: server.args, logFile: options.logFile });
    await waitUntilReady(started, () => acceptsQueries(url), 30_000, options.logFile);
    return started;
  };
  // postgres's SIGTERM waits for clients to leave; a fast shutdown ends their sessions.
  const shutDown = async (): Promise<void> => {
    if (proc.child.exitCode === null)
      runOrThrow(path.join(binDir, 'pg_ctl'), ['-D', dataDir, '-m', 'fast', '-w', 'stop'], 'pg_ctl stop');
    await proc.stop();
  };
  let proc = await launch();
  return {
    url,
    port,
    dataDir,
    get process() {
      return proc;
    },
    async restart(downMs) {
      await shutDown();
      await new Promise((resolve) => setTimeout(resolve, downMs));
      proc = await launch();
    },
    async stop() {
      await shutDown();
      if (!options.dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The given directory (initialised when it holds no cluster yet) or a fresh one under the system temp folder. */
function prepareDataDir(binDir: string, kept: string | undefined): string {
  // Under the system temp folder: the `postgres` user can reach it whatever the checkout's permissions are.
  const dataDir = kept ?? fs.mkdtempSync(path.join(os.tmpdir(), 'fedreport-postgres-'));
  if (fs.existsSync(path.join(dataDir, 'PG_VERSION'))) return dataDir;
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (process.getuid?.() === 0) fs.chownSync(dataDir, ...postgresUserIds());
  runOrThrow(
    path.join(binDir, 'initdb'),
    ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync'],
    'initdb',
  );
  return dataDir;
}

/** Creates `name` on the server unless it exists (PostgreSQL has no CREATE DATABASE IF NOT EXISTS). */
export async function ensureDatabase(serverUrl: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (found.rowCount === 0) await client.query(`create database ${pg.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
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
