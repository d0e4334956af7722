/**
 * The print queue on both back ends: a hosting practice's reports that ended rejected or undeliverable, or that an
 * operator chose to post, until recorded as posted; not other practices' reports, not delivered ones, not a version
 * a later one replaced.
 */
import crypto from 'node:crypto';
import { PrintQueue } from '../../../integrations/store/print-queue';
import type { ArchiveDb } from '../../../integrations/store/database';
import { archiveRepository, openTestArchive } from '../../support/archive';
import { archiveReport } from '../../support/archived-reports';
import { DATABASE_BACKENDS, freshTestDatabase, type TestDatabase } from '../../support/databases';

describe.each(DATABASE_BACKENDS)('print queue on %s', (backend) => {
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

  it("queues the practice's undelivered and chosen reports until they are posted", async () => {
    const archive = archiveRepository(db);
    const queue = new PrintQueue(db);
    const practice = 'Y91001';
    const at = (minute: number) => new Date(Date.UTC(2026, 10, 21, 9, minute));
    const rejected = await archiveReport(archive, { senderOds: practice, state: 'rejected', at: at(1) });
    const undeliverable = await archiveReport(archive, {
      senderOds: practice,
      state: 'undeliverable',
      at: at(2),
    });
    const chosen = await archiveReport(archive, { senderOds: practice, state: 'acknowledged', at: at(3) });
    await archiveReport(archive, { senderOds: practice, state: 'acknowledged', at: at(4) });
    await archiveReport(archive, { senderOds: 'Y91002', state: 'rejected', at: at(5) });
    const replaced = await archiveReport(archive, { senderOds: practice, state: 'rejected', at: at(6) });
    await archiveReport(archive, {
      senderOds: practice,
      state: 'sent',
      encounterGuid: replaced.encounterGuid,
      reportVersion: 2,
      at: at(7),
    });
    await queue.choosePost({ localId: chosen.localId, requestedBy: 'ops-alice', at: at(8) });
    await queue.choosePost({ localId: chosen.localId, requestedBy: 'ops-bob', at: at(9) });

    const pending = await queue.pending(practice);
    expect(pending.map((report) => [report.localId, report.reason])).toEqual([
      [rejected.localId, 'undelivered'],
      [undeliverable.localId, 'undelivered'],
      [chosen.localId, 'operator-chose-post'],
    ]);
    await queue.markPosted({
      localIds: [rejected.localId, chosen.localId],
      postedBy: 'ops-alice',
      at: at(10),
    });
    expect((await queue.pending(practice)).map((report) => report.localId)).toEqual([undeliverable.localId]);
  });

  it('refuses a choice for an unknown message and bad input, naming the field', async () => {
    const queue = new PrintQueue(db);
    await expect(
      queue.choosePost({ localId: crypto.randomUUID(), requestedBy: 'ops', at: new Date() }),
    ).rejects.toThrow(/localId: names no archived sent message/);
    await expect(queue.choosePost({ localId: 'x', requestedBy: ' ', at: new Date() })).rejects.toThrow(
      /requestedBy: must not be empty/,
    );
    await expect(queue.pending('not an ods')).rejects.toThrow(/print queue practice/);
  });
});
