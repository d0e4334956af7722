/**
 * Temporal as production runs it, on loopback: a PostgreSQL server (throw-away, or on a kept data directory) holding
 * Temporal's databases and fedreport's archive database, and the Temporal server on it. What `npm run cluster`, the
 * cluster chaos scenario and the cluster benchmark share.
 */
import path from 'node:path';
import { ensureDatabase, startPostgresServer, type PostgresServer } from './postgres-server';
import { startProgress } from './progress';
import { startTemporalServer, type TemporalServer } from './temporal-server';

/** fedreport's archive database (FEDREPORT_DATABASE_URL), beside Temporal's on the same server. */
const ARCHIVE_DATABASE = 'fedreport';

export interface TemporalOnPostgresOptions {
  /** Logs and the server's config go here. */
  stateDir: string;
  /** Kept PostgreSQL data (Temporal state survives restarts of the cluster); throw-away when omitted. */
  postgresDataDir?: string;
  /** Temporal frontend port; a free one when omitted. */
  temporalPort?: number;
}

export interface TemporalOnPostgres {
  postgres: PostgresServer;
  temporal: TemporalServer;
  /** postgres://…/fedreport */
  archiveDatabaseUrl: string;
  stop(): Promise<void>;
}

export async function startTemporalOnPostgres(
  options: TemporalOnPostgresOptions,
): Promise<TemporalOnPostgres> {
  const progress = startProgress('PostgreSQL (Debian) on loopback');
  const postgres = await startPostgresServer({
    logFile: path.join(options.stateDir, 'postgresql.log'),
    dataDir: options.postgresDataDir,
  }).catch((error: unknown) => {
    progress.fail('did not start');
    throw error;
  });
  progress.done(
    `${postgres.url}${options.postgresDataDir ? ` (data in ${options.postgresDataDir})` : ' (throw-away data)'}`,
  );
  try {
    const archiveDatabaseUrl = await ensureDatabase(postgres.url, ARCHIVE_DATABASE);
    const serverProgress = startProgress('Temporal server on PostgreSQL');
    const temporal = await startTemporalServer({
      postgres,
      stateDir: options.stateDir,
      logFile: path.join(options.stateDir, 'temporal.log'),
      port: options.temporalPort,
    }).catch((error: unknown) => {
      serverProgress.fail('did not start');
      throw error;
    });
    serverProgress.done(`${temporal.address} (namespace ${temporal.namespace}, SQL visibility)`);
    return {
      postgres,
      temporal,
      archiveDatabaseUrl,
      async stop() {
        await temporal.stop();
        await postgres.stop();
      },
    };
  } catch (error) {
    await postgres.stop();
    throw error;
  }
}
