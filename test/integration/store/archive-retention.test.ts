/**
 * The retention purge on both back ends: messages archived before the cut-off go with their answers and postal
 * records, old received messages and attachments too; everything after the cut-off stays whole.
 */
import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { ArchiveDb } from '../../../integrations/store/database';
import {
  archiveRetentionDaysFromEnv,
  DEFAULT_ARCHIVE_RETENTION_DAYS,
  purgeArchivedBefore,
} from '../../../integrations/store/archive-retention';
import { PrintQueue } from '../../../integrations/store/print-queue';
import { archiveRepository, openTestArchive } from '../../support/archive';
import { archiveReport } from '../../support/archived-reports';
import { DATABASE_BACKENDS, freshTestDatabase, type TestDatabase } from '../../support/databases';

const CUTOFF = new Date('2026-06-01T00:00:00Z');
const BEFORE = new Date('2026-05-31T23:59:59Z');
const AFTER = new Date('2026-06-01T00:00:01Z');

describe.each(DATABASE_BACKENDS)('archive retention on %s', (backend) => {
  let database: TestDatabase;
  let db: ArchiveDb;
  beforeAll(async () => {
    database = await freshTestDatabase(backend);
    db = await openTestArchive(database.url);
  });
  afterAll(async () => {
    await db.destroy();
    await database.close();
  });

  it('deletes only what was archived before the cut-off, with its answers and postal records', async () => {
    const archive = archiveRepository(db);
    const old = await archiveReport(archive, { senderOds: 'Y92001', state: 'rejected', at: BEFORE });
    const kept = await archiveReport(archive, { senderOds: 'Y92001', state: 'rejected', at: AFTER });
    const queue = new PrintQueue(db);
    await queue.markPosted({ localIds: [old.localId, kept.localId], postedBy: 'ops', at: AFTER });
    const receivedRow = (mesh: string, at: Date) => ({
      mesh_message_id: mesh,
      sender_ods: 'X26001',
      recipient_ods: 'Y92001',
      sha256: 'ab',
      state: 'received',
      received_at: at,
      key_id: 'k1',
      sealed_body: Buffer.from('sealed'),
    });
    await db
      .insertInto('received_messages')
      .values([receivedRow('IN-OLD', BEFORE), receivedRow('IN-NEW', AFTER)])
      .execute();
    for (const [mesh, at] of [['IN-OLD', BEFORE], ['IN-NEW', AFTER]] as const) {
      await sql`insert into received_deliveries (mesh_message_id, mailbox, received_message_id, received_at, body_bytes, key_id)
        values (${mesh}, 'Y92001OT001', ${`received-${mesh}`}, ${at}, 0, 'k1')`.execute(db);
      await sql`insert into received_message_claims (received_message_id, mesh_message_id, claimed_at)
        values (${`received-${mesh}`}, ${mesh}, ${at})`.execute(db);
    }
    const attachment = (fill: number, at: Date) => ({
      sha256: crypto
        .createHash('sha256')
        .update(Buffer.from([fill]))
        .digest('hex'),
      media_type: 'application/pdf',
      size_bytes: 1,
      created_at: at,
      key_id: 'k1',
      sealed_content: Buffer.from('sealed'),
    });
    await db
      .insertInto('attachments')
      .values([attachment(1, BEFORE), attachment(2, AFTER)])
      .execute();

    expect(await purgeArchivedBefore(db, CUTOFF)).toEqual({
      sentMessages: 1,
      answers: 1,
      receivedMessages: 1,
      receivedHandovers: 2,
      attachments: 1,
    });
    expect(await archive.show(old.localId)).toBeUndefined();
    const survivor = await archive.show(kept.localId);
    expect(survivor?.answers).toHaveLength(1);
    const postal = await db
      .withTables<{ postal_copies: { local_id: string } }>()
      .selectFrom('postal_copies')
      .select('local_id')
      .execute();
    expect(postal.map((row) => row.local_id)).toEqual([kept.localId]);
    expect(
      (await db.selectFrom('received_messages').select('mesh_message_id').execute()).map(
        (r) => r.mesh_message_id,
      ),
    ).toEqual(['IN-NEW']);
    const { rows: handovers } = await sql<{ id: string }>`
      select mesh_message_id as id from received_deliveries
      union all select mesh_message_id from received_message_claims`.execute(db);
    expect(handovers.map((row) => row.id)).toEqual(['IN-NEW', 'IN-NEW']);
    expect(await db.selectFrom('attachments').select('created_at').execute()).toEqual([
      { created_at: AFTER },
    ]);
    expect(await purgeArchivedBefore(db, CUTOFF)).toEqual({
      sentMessages: 0,
      answers: 0,
      receivedMessages: 0,
      receivedHandovers: 0,
      attachments: 0,
    });
  });

  it('keeps an attachment stored long ago that a save stores again: its date moves on', async () => {
    const archive = archiveRepository(db);
    const content = crypto.randomBytes(64);
    const sha256 = await archive.storeAttachment(content, 'application/pdf');
    await db.updateTable('attachments').set({ created_at: BEFORE }).where('sha256', '=', sha256).execute();
    expect(await archive.storeAttachment(content, 'application/pdf')).toBe(sha256);
    await purgeArchivedBefore(db, new Date(Date.now() - 60_000));
    expect((await archive.readAttachment(sha256))?.content.equals(content)).toBe(true);
  });

  it('reads the retention in days, eight years by default, and refuses a bad value naming the setting', () => {
    expect(archiveRetentionDaysFromEnv({})).toBe(DEFAULT_ARCHIVE_RETENTION_DAYS);
    expect(archiveRetentionDaysFromEnv({ FEDREPORT_ARCHIVE_RETENTION_DAYS: '30' })).toBe(30);
    expect(() => archiveRetentionDaysFromEnv({ FEDREPORT_ARCHIVE_RETENTION_DAYS: '0' })).toThrow(
      /FEDREPORT_ARCHIVE_RETENTION_DAYS: must be at least 1/,
    );
  });
});
