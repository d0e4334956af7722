/**
 * `fedreport documents …` against real workflows and PostgreSQL: list a practice's new documents, show one without
 * printing patient data (its NHS number only in the file named by --json), write its PDF, file it (a second filing
 * is refused with the reason), and reject another with a code and a reason (a wrong code or a missing reason names
 * the option and changes nothing).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { registerDocumentCommands } from '../../../client/cli/document-commands';
import { DocumentFilingRefusedError } from '../../../client/received-documents';
import { ValidationError } from '../../../domain/validation-error';
import { ARCHIVE_PATIENT } from '../../support/archive';
import { runFedreportCli } from '../../support/cli';
import { INBOX_PDF, startDocumentInbox, type DocumentInbox } from '../../support/document-inbox';
import { testTemporal } from '../../support/servers';
import { encryptingClient, testKeyring } from '../api/support';
import { eventually } from './support';

const PRACTICE = `A${crypto.randomInt(1e8).toString().padStart(8, '0')}`;
const savedEnv = { ...process.env };
let client: Client;
let inbox: DocumentInbox;
let workDir: string;

beforeAll(async () => {
  const keyring = testKeyring();
  client = await encryptingClient(keyring);
  inbox = await startDocumentInbox(keyring, client);
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'documents-cli-'));
  // As an operator's shell gives them: the archive database, Temporal and the codec keys.
  Object.assign(process.env, {
    FEDREPORT_DATABASE_URL: inbox.databaseUrl,
    FEDREPORT_TEMPORAL_ADDRESS: testTemporal().address,
    FEDREPORT_TEMPORAL_NAMESPACE: testTemporal().namespace,
    FEDREPORT_CODEC_KEYS: [...keyring.keys].map(([id, key]) => `${id}:${key.toString('base64')}`).join(','),
  });
}, 120_000);
afterAll(async () => {
  process.env = savedEnv;
  await inbox?.close();
  await client?.connection.close();
  fs.rmSync(workDir, { recursive: true, force: true });
});

const cli = (...args: string[]) => runFedreportCli(registerDocumentCommands, ['documents', ...args]);

it('lists, shows (no patient data printed), writes the PDF, files once', async () => {
  const { meshMessageId } = await inbox.receive(PRACTICE);
  const listed = await cli('list', '--practice', PRACTICE);
  expect(listed.error).toBeUndefined();
  expect(listed.stdout).toMatch(
    new RegExp(`${meshMessageId}\\s+${PRACTICE}\\s+Y90001\\s+\\S+\\s+\\S+\\s+held`),
  );
  expect(listed.stdout).toMatch(/1 document\(s\)\n$/);

  const json = path.join(workDir, 'metadata.json');
  const shown = await cli('show', meshMessageId, '--json', json);
  expect(shown.error).toBeUndefined();
  expect(shown.stdout).toMatch(/version 1\n/);
  expect(shown.stdout).toMatch(/1\s+application\/pdf\s+\d+/);
  expect(shown.stdout).not.toContain(ARCHIVE_PATIENT.nhsNumber);
  expect(JSON.parse(fs.readFileSync(json, 'utf8'))).toMatchObject({ nhsNumber: ARCHIVE_PATIENT.nhsNumber });
  const pdf = path.join(workDir, 'report.pdf');
  expect((await cli('pdf', meshMessageId, '--out', pdf)).error).toBeUndefined();
  expect(fs.readFileSync(pdf)).toEqual(INBOX_PDF);

  const filed = await cli('file', meshMessageId);
  expect(filed.error).toBeUndefined();
  expect(filed.stdout).toBe(`${meshMessageId} filed: the business answer goes to Y90001\n`);
  await eventually(async () => expect(inbox.answers.map((a) => a.code)).toContain('30001'));
  const again = await cli('file', meshMessageId);
  expect(again.error).toBeInstanceOf(DocumentFilingRefusedError);
  expect((again.error as DocumentFilingRefusedError).reason).toBe('the document was already filed');
  expect((await cli('list', '--practice', PRACTICE)).stdout).toBe('no held documents\n');
});

it('rejects with a code and a reason; a wrong code or an empty reason names the option and changes nothing', async () => {
  const { meshMessageId } = await inbox.receive(PRACTICE);
  const wrongCode = await cli('reject', meshMessageId, '--code', '30001', '--reason', 'moved');
  expect(String(wrongCode.error)).toMatch(/--code.*30002, 30003/);
  const noReason = await cli('reject', meshMessageId, '--code', '30002', '--reason', ' ');
  expect(noReason.error).toBeInstanceOf(ValidationError);
  expect((noReason.error as ValidationError).issues).toEqual([
    { field: '--reason', reason: 'must say why the document is refused' },
  ]);
  expect((await inbox.queries.summary(meshMessageId))?.state).toBe('held');

  const rejected = await cli('reject', meshMessageId, '--code', '30002', '--reason', 'not our patient');
  expect(rejected.error).toBeUndefined();
  expect(rejected.stdout).toBe(`${meshMessageId} refused: the business answer goes to Y90001\n`);
  expect(await inbox.queries.metadata(meshMessageId)).toMatchObject({
    state: 'refused',
    refusal: { code: '30002', reason: 'not our patient' },
  });
});
