/**
 * `fedreport archive …` on the real PostgreSQL, against the archive a worker would have written: search by NHS
 * number, encounter, practice, dates and state; show a message with its answers and write its report PDF; print a
 * practice's queue into one merged PDF, after which each report is recorded as posted and its encounter resolved.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { registerArchiveCommands } from '../../../client/cli/archive-commands';
import { ValidationError } from '../../../domain/validation-error';
import { ArchiveRepository } from '../../../integrations/store/archive-repository';
import type { ArchiveDb } from '../../../integrations/store/database';
import { FieldEncryption } from '../../../integrations/store/field-encryption';
import { PrintQueue } from '../../../integrations/store/print-queue';
import { ARCHIVE_PATIENT, openTestArchive } from '../../support/archive';
import { archiveReport } from '../../support/archived-reports';
import { runFedreportCli } from '../../support/cli';
import { freshTestDatabase, type TestDatabase } from '../../support/databases';
import { startCliHarness, type CliHarness } from './support';

let harness: CliHarness;
let database: TestDatabase;
let db: ArchiveDb;
let archive: ArchiveRepository;
beforeAll(async () => {
  harness = await startCliHarness();
  database = await freshTestDatabase('postgresql');
  process.env.FEDREPORT_DATABASE_URL = database.url;
  db = await openTestArchive(database.url);
  archive = new ArchiveRepository(db, new FieldEncryption(harness.keyring, harness.keyring.activeKeyId));
});
afterAll(async () => {
  await db?.destroy();
  await database?.close();
  await harness?.close();
});

const cli = (...args: string[]) => runFedreportCli(registerArchiveCommands, ['archive', ...args]);
const pagesOf = async (file: string) => (await PDFDocument.load(fs.readFileSync(file))).getPageCount();

it('searches by NHS number, encounter, practice, dates and state, and shows a message with its PDF', async () => {
  const practice = harness.practice('slow');
  const first = await archiveReport(archive, { senderOds: practice, state: 'acknowledged', pages: 3 });
  const second = await archiveReport(archive, { senderOds: practice, state: 'sent' });

  const byNumber = await cli('search', '--nhs-number', ARCHIVE_PATIENT.nhsNumber, '--practice', practice);
  expect(byNumber.error).toBeUndefined();
  expect(byNumber.stdout).toContain(first.localId);
  expect(byNumber.stdout).toContain(second.localId);
  expect(byNumber.stdout).toMatch(/2 message\(s\)\n$/);
  expect(byNumber.stdout).not.toContain(ARCHIVE_PATIENT.nhsNumber);
  const byEncounter = await cli('search', '--encounter', first.encounterGuid, '--state', 'acknowledged');
  expect(byEncounter.stdout).toMatch(new RegExp(`${first.localId}.*acknowledged`));
  expect(byEncounter.stdout).toMatch(/1 message\(s\)\n$/);
  expect((await cli('search', '--practice', practice, '--to', '2000-01-01')).stdout).toBe(
    'no archived messages match\n',
  );
  const badDate = await cli('search', '--from', 'yesterday');
  expect(badDate.error).toBeInstanceOf(ValidationError);
  expect((badDate.error as ValidationError).issues).toEqual([
    { field: '--from', reason: 'must be an ISO 8601 date or date-time' },
  ]);

  const pdf = path.join(harness.workDir, 'shown.pdf');
  const shown = await cli('show', first.localId, '--pdf', pdf);
  expect(shown.error).toBeUndefined();
  expect(shown.stdout).toMatch(/itk3-acknowledgement\s+acknowledged\s+ANSWER-/);
  expect(shown.stdout).toContain(`wrote ${pdf}: the report PDF as sent`);
  expect(await pagesOf(pdf)).toBe(3);
});

it('prints the queue into one merged PDF, records the reports posted and resolves each encounter "sent by post"', async () => {
  const practice = harness.practice('fast');
  harness.world.sendBehaviours.push('permanent-failure', 'permanent-failure');
  const files = [harness.snapshotFile(practice), harness.snapshotFile(practice)];
  const submit = await harness.cli('submit', ...files.map((file) => file.file));
  expect(submit.error).toBeUndefined();
  for (const { encounterId } of files)
    await harness.statusWhen(encounterId, (s) => s.state === 'needs-attention');
  const [rejected, undeliverable] = files.map((file) => file.encounterId) as [string, string];
  await archiveReport(archive, { senderOds: practice, state: 'rejected', pages: 2, encounterGuid: rejected });
  await archiveReport(archive, {
    senderOds: practice,
    state: 'undeliverable',
    pages: 3,
    encounterGuid: undeliverable,
  });

  const listed = await cli('print-queue', '--practice', practice);
  expect(listed.stdout).toMatch(/2 report\(s\) to print\n$/);
  const out = path.join(harness.workDir, 'post.pdf');
  const printed = await cli('print-queue', '--practice', practice, '--out', out, '--by', 'ops-carol');
  expect(printed.error).toBeUndefined();
  expect(printed.stdout).toContain(`wrote ${out}: 2 report(s), 5 page(s); recorded as posted`);
  expect(printed.stdout).toContain(`resolved  ${rejected}  (sent by post)`);
  expect(printed.stdout).toContain(`resolved  ${undeliverable}  (sent by post)`);
  expect(await pagesOf(out)).toBe(5);
  for (const id of [rejected, undeliverable]) await harness.statusWhen(id, (s) => s.state === 'resolved');
  expect(await new PrintQueue(db).pending(practice)).toEqual([]);
  expect((await cli('print-queue', '--practice', practice, '--out', out)).stdout).toBe(
    `nothing to print for ${practice}: no file written\n`,
  );
});
