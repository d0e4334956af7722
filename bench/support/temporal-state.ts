/**
 * Bytes of Temporal state in PostgreSQL (persistence and visibility databases), for the per-consultation figure of
 * the cluster benchmark. pg_database_size counts tables, indexes and TOAST on disk (not the WAL).
 */
import pg from 'pg';
import type { PostgresServer } from '../../tooling/postgres-server';

export async function temporalDatabaseBytes(postgres: PostgresServer): Promise<number> {
  const client = new pg.Client({ connectionString: postgres.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ bytes: string }>(
      "select sum(pg_database_size(datname))::text as bytes from pg_database where datname in ('temporal', 'temporal_visibility')",
    );
    return Number(rows[0]?.bytes ?? 0);
  } finally {
    await client.end();
  }
}
