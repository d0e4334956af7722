/**
 * The archive schema is applied at start by every process: on both back ends, processes starting at once apply each
 * migration exactly once, and a later start finds nothing to do.
 */
import type { Kysely } from 'kysely';
import { createArchiveDb } from '../../../integrations/store/database';
import { migrateToLatest } from '../../../integrations/store/migrations';
import { DATABASE_BACKENDS, freshTestDatabase, type TestDatabase } from '../../support/databases';

describe.each(DATABASE_BACKENDS)('archive migrations on %s', (backend) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await freshTestDatabase(backend);
  });
  afterAll(() => database.close());

  it('apply once when three processes start at once, and not again on the next start', async () => {
    const processes = [1, 2, 3].map(() => createArchiveDb({ url: database.url, poolSize: 2 }));
    try {
      const applied = await Promise.all(processes.map((db) => migrateToLatest(db as Kysely<unknown>)));
      expect(applied.flat()).toEqual([
        '0001-archive',
        '0004-print-queue',
        '0005-attachment-stored-again',
        '0006-received-deliveries',
        '0007-received-document-filing',
        '0008-received-document-versions',
      ]);
      await expect(migrateToLatest(processes[0] as Kysely<unknown>)).resolves.toEqual([]);
      const tables = (await processes[0]!.introspection.getTables()).map((table) => table.name).sort();
      expect(tables).toEqual([
        'attachments',
        'message_answers',
        'postal_copies',
        'received_deliveries',
        'received_message_claims',
        'received_messages',
        'sent_messages',
      ]);
    } finally {
      await Promise.all(processes.map((db) => db.destroy()));
    }
  });
});
