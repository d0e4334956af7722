/**
 * Brings the archive schema up to date with Kysely's Migrator. Migrations are TypeScript modules listed here (not
 * read from a folder), so a bundled or transpiled build finds them the same way. The Migrator takes a PostgreSQL
 * advisory lock and re-checks its own tables, so processes starting at once apply each migration exactly once.
 */
import { Migrator, type Kysely, type Migration } from 'kysely';
import * as archive0001 from './migrations/0001-archive';
import * as printQueue0004 from './migrations/0004-print-queue';
import * as attachmentStoredAgain0005 from './migrations/0005-attachment-stored-again';
import * as receivedDeliveries0006 from './migrations/0006-received-deliveries';
import * as receivedDocumentFiling0007 from './migrations/0007-received-document-filing';
import * as receivedDocumentVersions0008 from './migrations/0008-received-document-versions';

/** In order; a name is never changed once released (it is the row in `kysely_migration`). */
const MIGRATIONS: Record<string, Migration> = {
  '0001-archive': archive0001,
  '0004-print-queue': printQueue0004,
  '0005-attachment-stored-again': attachmentStoredAgain0005,
  '0006-received-deliveries': receivedDeliveries0006,
  '0007-received-document-filing': receivedDocumentFiling0007,
  '0008-received-document-versions': receivedDocumentVersions0008,
};

export class MigrationError extends Error {
  constructor(
    readonly migration: string | undefined,
    cause: unknown,
  ) {
    super(
      `archive database migration ${migration ? `"${migration}" ` : ''}failed: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
    this.name = 'MigrationError';
  }
}

/** Applies every pending migration; returns the names applied by this call (none when already up to date). */
export async function migrateToLatest(db: Kysely<unknown>): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve(MIGRATIONS) },
    // Numbers are reserved per change and land in any order (0008 was released before 0007): a database that has a
    // later one applies an earlier one it lacks instead of refusing to start.
    allowUnorderedMigrations: true,
  });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error) throw new MigrationError(results.find((r) => r.status === 'Error')?.migrationName, error);
  return results.filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
