/**
 * The archive routes on the real PostgreSQL: each credential finds and opens only the messages of its practices;
 * another practice's message is answered exactly as one that does not exist, and a search naming another practice
 * is refused. The report PDF comes back as it was sent.
 */
import crypto from 'node:crypto';
import type { Client } from '@temporalio/client';
import { PDFDocument } from 'pdf-lib';
import type { ArchiveDb } from '../../../integrations/store/database';
import { ARCHIVE_PATIENT, archiveRepository, openTestArchive } from '../../support/archive';
import { archiveReport, type ArchivedReport } from '../../support/archived-reports';
import { freshTestDatabase, type TestDatabase } from '../../support/databases';
import { encryptingClient, startTestApi, testKeyring, type TestApi } from './support';
import { callApi } from '../../support/api-call';

const practiceCode = (): string => `A${crypto.randomInt(1e8).toString().padStart(8, '0')}`;
const NORTH = practiceCode();
const SOUTH = practiceCode();
const NORTH_TOKEN = `north-${crypto.randomBytes(16).toString('hex')}`;
const SOUTH_TOKEN = `south-${crypto.randomBytes(16).toString('hex')}`;

let database: TestDatabase;
let db: ArchiveDb;
let client: Client;
let api: TestApi;
let north: ArchivedReport;
let south: ArchivedReport;

beforeAll(async () => {
  database = await freshTestDatabase('postgresql');
  db = await openTestArchive(database.url);
  const archive = archiveRepository(db);
  client = await encryptingClient(testKeyring());
  api = await startTestApi({
    client,
    archive,
    auth: {
      mode: 'bearer',
      tokens: [
        { name: 'north-system', token: NORTH_TOKEN, practices: [NORTH] },
        { name: 'south-system', token: SOUTH_TOKEN, practices: [SOUTH] },
      ],
    },
  });
  north = await archiveReport(archive, { senderOds: NORTH, state: 'acknowledged', pages: 2 });
  south = await archiveReport(archive, { senderOds: SOUTH, state: 'rejected' });
});
afterAll(async () => {
  await api?.close();
  await client?.connection.close();
  await db?.destroy();
  await database?.close();
});

function call(token: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  return callApi(api.url, token, path, { body });
}

it("searches only the credential's practices, and refuses a search naming another", async () => {
  const byNumber = await call(NORTH_TOKEN, '/v1/archive/search', { nhsNumber: ARCHIVE_PATIENT.nhsNumber });
  expect(byNumber.status).toBe(200);
  expect(byNumber.body.messages.map((m: any) => m.localId)).toEqual([north.localId]);
  expect(byNumber.body.messages[0]).toMatchObject({
    senderOds: NORTH,
    state: 'acknowledged',
    reportVersion: 1,
  });
  expect(byNumber.body.messages[0]).not.toHaveProperty('patient');

  const south = await call(NORTH_TOKEN, '/v1/archive/search', { practiceOds: SOUTH });
  expect(south.status).toBe(403);
  expect(south.body.error).toBe('practice_not_permitted');

  const invalid = await call(NORTH_TOKEN, '/v1/archive/search', {
    nhsNumber: '1234567890',
    from: 'yesterday',
  });
  expect(invalid.status).toBe(422);
  expect(invalid.body.issues.map((issue: any) => issue.field).sort()).toEqual(['from', 'nhsNumber']);
  expect(JSON.stringify(invalid.body)).not.toContain('1234567890');
});

it("answers another practice's message exactly as one that does not exist", async () => {
  const foreign = await call(NORTH_TOKEN, `/v1/archive/messages/${south.localId}`);
  const missing = await call(NORTH_TOKEN, `/v1/archive/messages/${crypto.randomUUID()}`);
  expect(foreign.status).toBe(404);
  expect(foreign.body).toEqual(missing.body);
  expect((await call(NORTH_TOKEN, `/v1/archive/messages/${south.localId}/pdf`)).body).toEqual(missing.body);

  const own = await call(SOUTH_TOKEN, `/v1/archive/messages/${south.localId}`);
  expect(own.status).toBe(200);
  expect(own.body).toMatchObject({ localId: south.localId, state: 'rejected' });
  expect(own.body.answers).toEqual([
    expect.objectContaining({ kind: 'itk3-acknowledgement', code: 'rejected' }),
  ]);
  expect(own.body).not.toHaveProperty('body');
});

it('gives the report PDF as it was sent', async () => {
  const pdf = await call(NORTH_TOKEN, `/v1/archive/messages/${north.localId}/pdf`);
  expect(pdf.status).toBe(200);
  expect((await PDFDocument.load(pdf.body as Buffer)).getPageCount()).toBe(2);
});
