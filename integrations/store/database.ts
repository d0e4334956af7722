/**
 * The archive database of a process: a `pg` pool behind Kysely, migrated to the latest schema before first use.
 */
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { ArchiveDatabase } from './archive-schema';
import type { DatabaseSettings } from './database-settings';
import { migrateToLatest } from './migrations';

export type ArchiveDb = Kysely<ArchiveDatabase>;

/** Opens the pool (connections are made on demand); `destroy()` closes it. */
export function createArchiveDb(settings: DatabaseSettings): ArchiveDb {
  const pool = new pg.Pool({ connectionString: settings.url, max: settings.poolSize });
  // A connection the server ends (a restart, a failover) emits 'error': the pool drops an idle one and the next
  // query opens a new one; a checked-out one between two statements of a transaction fails that transaction. Either
  // way the error reaches the caller through its query; unhandled, the event would end the process.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  return new Kysely<ArchiveDatabase>({ dialect: new PostgresDialect({ pool }) });
}

/** Opens the database and applies pending migrations: what a process calls at start. */
export async function openArchiveDb(settings: DatabaseSettings): Promise<ArchiveDb> {
  const db = createArchiveDb(settings);
  try {
    await migrateToLatest(db as Kysely<unknown>);
    return db;
  } catch (error) {
    await db.destroy();
    throw error;
  }
}
