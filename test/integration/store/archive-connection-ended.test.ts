/**
 * The server ends a connection the pool has lent out, between two statements of a transaction (what a PostgreSQL
 * restart or failover does): the transaction fails with an error its caller sees, the process goes on, and the next
 * query opens a new connection. Before the fix the client's unhandled 'error' event ended the whole worker, leaving
 * its in-flight activities to time out.
 */
import { sql } from 'kysely';
import { createArchiveDb, type ArchiveDb } from '../../../integrations/store/database';
import { freshTestDatabase, type TestDatabase } from '../../support/databases';

let database: TestDatabase;
let db: ArchiveDb;

beforeAll(async () => {
  database = await freshTestDatabase('postgresql');
  db = createArchiveDb({ url: database.url, poolSize: 2 });
});

afterAll(async () => {
  await db.destroy();
  await database.close();
});

it('fails only the transaction whose connection the server ended, and the next query succeeds', async () => {
  const transaction = db.transaction().execute(async (trx) => {
    const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx);
    await sql`select pg_terminate_backend(${rows[0]?.pid})`.execute(db);
    // The termination notice arrives while no statement of this transaction is running.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await sql`select 1`.execute(trx);
  });

  await expect(transaction).rejects.toThrow();
  const { rows } = await sql<{ one: number }>`select 1 as one`.execute(db);
  expect(rows).toEqual([{ one: 1 }]);
});
