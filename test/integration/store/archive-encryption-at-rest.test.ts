/**
 * Patient data at rest, on both back ends: no NHS number, name or birth date in plaintext in the archive's rows or in
 * the database server's files (the encounter GUID, a plain column, is found there: the scan reads what was stored),
 * and rows written before a codec key rotation still open, and are still found by NHS number, after it.
 */
import { sql } from 'kysely';
import type { ArchiveDb } from '../../../integrations/store/database';
import {
  ARCHIVE_PATIENT,
  KEYRING_AFTER_ROTATION,
  archiveRepository,
  openTestArchive,
  sendingCopy,
} from '../../support/archive';
import { DATABASE_BACKENDS, freshTestDatabase, type TestDatabase } from '../../support/databases';
import { parseCodecKeyring } from '../../../common/codec-keys';
import { foundInFiles } from '../../support/phi-scan';

const PLAINTEXT_PHI = [
  ARCHIVE_PATIENT.nhsNumber,
  ARCHIVE_PATIENT.name.family,
  ARCHIVE_PATIENT.name.given[0],
  ARCHIVE_PATIENT.birthDate,
];

describe.each(DATABASE_BACKENDS)('archive encryption at rest on %s', (backend) => {
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

  it('keeps no NHS number, name or birth date in plaintext in rows or database files', async () => {
    const copy = sendingCopy();
    const archive = archiveRepository(db);
    await archive.recordSending(copy);
    await archive.recordAnswer({
      localId: copy.localId,
      kind: 'quarantined',
      meshMessageId: `Q-${copy.localId}`,
      code: 'unreadable',
      body: copy.body,
      at: new Date(),
    });
    await archive.storeAttachment(copy.body, 'text/xml');

    const rows = await sql<{ row: string }>`
      select row_to_json(s)::text as row from sent_messages s
      union all select row_to_json(a)::text from message_answers a
      union all select row_to_json(t)::text from attachments t`.execute(db);
    const rowText = rows.rows.map((r) => r.row).join('\n');
    expect(rowText).toContain(copy.encounterGuid);
    for (const text of PLAINTEXT_PHI) expect(rowText).not.toContain(text);
    // bytea comes back hex-encoded in JSON; look for the NHS number's bytes in that form too.
    expect(rowText).not.toContain(Buffer.from(ARCHIVE_PATIENT.nhsNumber).toString('hex'));

    await sql`checkpoint`.execute(db);
    expect(foundInFiles(database.dataDir, [copy.encounterGuid, ...PLAINTEXT_PHI])).toEqual([
      copy.encounterGuid,
    ]);
  });

  it('opens and finds rows written under the old key after the active key rotates', async () => {
    const before = sendingCopy();
    await archiveRepository(db).recordSending(before);
    const rotated = archiveRepository(db, KEYRING_AFTER_ROTATION, 'k1');
    const after = sendingCopy({ encounterGuid: before.encounterGuid });
    await rotated.recordSending(after);

    const keyIds = await db
      .selectFrom('sent_messages')
      .select(['local_id', 'key_id'])
      .where('encounter_guid', '=', before.encounterGuid)
      .execute();
    expect(Object.fromEntries(keyIds.map((r) => [r.local_id, r.key_id]))).toEqual({
      [before.localId]: 'k1',
      [after.localId]: 'k2',
    });
    expect((await rotated.show(before.localId))?.patient.nhsNumber).toBe(ARCHIVE_PATIENT.nhsNumber);
    const found = await rotated.search({
      nhsNumber: ARCHIVE_PATIENT.nhsNumber,
      encounterGuid: before.encounterGuid,
    });
    expect(found.map((m) => m.localId).sort()).toEqual([before.localId, after.localId].sort());

    const withoutOldKey = archiveRepository(
      db,
      parseCodecKeyring({ keys: { k2: Buffer.alloc(32, 2).toString('base64') } }, 'test'),
      'k2',
    );
    await expect(withoutOldKey.show(before.localId)).rejects.toThrow(
      /key "k1"\) cannot be decrypted: no codec key with this id is configured/,
    );
  });
});
