/**
 * The archive's two back ends for the store tests: the real PostgreSQL server the global setup started (a fresh
 * database per call) and the embedded PGlite server the local stack uses (a fresh data directory per call).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgresProcess } from '../../tooling/pglite-server';
import { startPostgresServer, type PostgresServer } from '../../tooling/postgres-server';

export const DATABASE_BACKENDS = ['postgresql', 'pglite'] as const;
export type DatabaseBackend = (typeof DATABASE_BACKENDS)[number];

export interface TestDatabase {
  readonly url: string;
  /** Where the server keeps its files (for PostgreSQL the whole cluster), for the PHI scan. */
  readonly dataDir: string;
  close(): Promise<void>;
}

const POSTGRES_URL_ENV = 'FEDREPORT_TEST_POSTGRES_URL';
const POSTGRES_DATA_DIR_ENV = 'FEDREPORT_TEST_POSTGRES_DATA_DIR';
const SHARED_ARCHIVE_URL_ENV = 'FEDREPORT_TEST_ARCHIVE_URL';

/** Global setup: one PostgreSQL server for the run; the returned function stops it. */
export async function startTestPostgres(logDir: string): Promise<PostgresServer> {
  const server = await startPostgresServer({ logFile: path.join(logDir, 'postgresql.log') });
  process.env[POSTGRES_URL_ENV] = server.url;
  process.env[POSTGRES_DATA_DIR_ENV] = server.dataDir;
  // The archive every test worker and API shares (as one deployment's processes do); the store tests make their own.
  const shared = await freshPostgresDatabase();
  process.env[SHARED_ARCHIVE_URL_ENV] = shared.url;
  return server;
}

/** The run's shared archive database: FEDREPORT_DATABASE_URL of every worker and API the tests start. */
export function sharedTestArchiveUrl(): string {
  const url = process.env[SHARED_ARCHIVE_URL_ENV];
  if (!url) throw new Error(`${SHARED_ARCHIVE_URL_ENV} is not set: run the tests through jest (test/support/global-setup.ts)`);
  return url;
}

/** The data directory of the run's PostgreSQL cluster (every test database's files), for the plaintext scans. */
export function testPostgresDataDir(): string {
  const dataDir = process.env[POSTGRES_DATA_DIR_ENV];
  if (!dataDir) throw new Error(`${POSTGRES_DATA_DIR_ENV} is not set: run the tests through jest (test/support/global-setup.ts)`);
  return dataDir;
}

export async function freshTestDatabase(backend: DatabaseBackend): Promise<TestDatabase> {
  return backend === 'postgresql' ? freshPostgresDatabase() : freshPgliteDatabase();
}

async function freshPostgresDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env[POSTGRES_URL_ENV];
  const dataDir = process.env[POSTGRES_DATA_DIR_ENV];
  if (!serverUrl || !dataDir)
    throw new Error(
      `${POSTGRES_URL_ENV} is not set: run the tests through jest so test/support/global-setup.ts starts PostgreSQL`,
    );
  const name = `archive_test_${crypto.randomBytes(6).toString('hex')}`;
  const admin = async (statement: string): Promise<void> => {
    // Bounded, so a stuck server fails the hook with its own message rather than Jest's hook timeout.
    const client = new pg.Client({
      connectionString: serverUrl,
      connectionTimeoutMillis: 10_000,
      query_timeout: 30_000,
    });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await admin(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), dataDir, close: () => admin(`drop database ${name} with (force)`) };
}

async function freshPgliteDatabase(): Promise<TestDatabase> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fedreport-pglite-'));
  const server = await startEmbeddedPostgresProcess({
    dataDir: path.join(dataDir, 'data'),
    logFile: path.join(dataDir, 'pglite.log'),
  });
  return {
    url: server.url,
    dataDir: path.join(dataDir, 'data'),
    async close() {
      await server.process.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
