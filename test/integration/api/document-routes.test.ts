/**
 * The document inbox routes against real workflows and PostgreSQL: each credential lists and opens only its
 * practices' documents (another practice's is answered exactly as an unknown one); filing reaches the message's
 * workflow, which answers the business code, and a second filing is refused with a clear reason (409); a rejection
 * with a bad code or no reason names the fields (422) and changes nothing; an accepted one answers its code and keeps
 * the reason sealed. No NHS number or reason reaches the log.
 */
import crypto from 'node:crypto';
import type { Client } from '@temporalio/client';
import { ARCHIVE_PATIENT } from '../../support/archive';
import { INBOX_PDF, startDocumentInbox, type DocumentInbox } from '../../support/document-inbox';
import { eventually } from '../cli/support';
import { encryptingClient, startTestApi, testKeyring, type TestApi } from './support';
import { callApi } from '../../support/api-call';

const practiceCode = (): string => `A${crypto.randomInt(1e8).toString().padStart(8, '0')}`;
const NORTH = practiceCode();
const SOUTH = practiceCode();
const NORTH_TOKEN = `north-${crypto.randomBytes(16).toString('hex')}`;
const SOUTH_TOKEN = `south-${crypto.randomBytes(16).toString('hex')}`;
const REASON = 'Zephyrine left the practice in May';

let client: Client;
let inbox: DocumentInbox;
let api: TestApi;

beforeAll(async () => {
  const keyring = testKeyring();
  client = await encryptingClient(keyring);
  inbox = await startDocumentInbox(keyring, client);
  api = await startTestApi({
    client,
    documents: inbox.queries,
    auth: {
      mode: 'bearer',
      tokens: [
        { name: 'north-system', token: NORTH_TOKEN, practices: [NORTH] },
        { name: 'south-system', token: SOUTH_TOKEN, practices: [SOUTH] },
      ],
    },
  });
}, 120_000);
afterAll(async () => {
  await api?.close();
  await inbox?.close();
  await client?.connection.close();
});

function call(token: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  // Filing takes no body but is a POST.
  return callApi(api.url, token, path, { body, method: path.endsWith('/filed') ? 'POST' : undefined });
}

it("lists only the credential's practices' new documents, a page at a time", async () => {
  const first = await inbox.receive(NORTH);
  const second = await inbox.receive(NORTH);
  const south = await inbox.receive(SOUTH);

  const all = await call(NORTH_TOKEN, '/v1/documents');
  expect(all.status).toBe(200);
  expect(all.body.documents.map((d: any) => d.meshMessageId)).toEqual([
    first.meshMessageId,
    second.meshMessageId,
  ]);
  expect(all.body.documents[0]).toMatchObject({ practiceOds: NORTH, senderOds: 'Y90001', state: 'held' });
  expect(JSON.stringify(all.body)).not.toContain(ARCHIVE_PATIENT.nhsNumber);
  expect(all.body).not.toHaveProperty('next');

  const page = await call(NORTH_TOKEN, '/v1/documents?limit=1');
  expect(page.body.documents.map((d: any) => d.meshMessageId)).toEqual([first.meshMessageId]);
  const next = await call(NORTH_TOKEN, `/v1/documents?limit=1&after=${page.body.next}`);
  expect(next.body.documents.map((d: any) => d.meshMessageId)).toEqual([second.meshMessageId]);

  expect((await call(SOUTH_TOKEN, '/v1/documents')).body.documents.map((d: any) => d.meshMessageId)).toEqual([
    south.meshMessageId,
  ]);
  const foreign = await call(NORTH_TOKEN, `/v1/documents?practiceOds=${SOUTH}`);
  expect(foreign.status).toBe(403);
  expect(foreign.body.error).toBe('practice_not_permitted');
  const invalid = await call(NORTH_TOKEN, '/v1/documents?limit=0&state=lost&after=nonsense');
  expect(invalid.status).toBe(422);
  expect(invalid.body.issues.map((issue: any) => issue.field).sort()).toEqual(['after', 'limit', 'state']);
});

it("gives metadata and the PDF; another practice's document is answered as an unknown one", async () => {
  const { meshMessageId } = await inbox.receive(SOUTH);
  const own = await call(SOUTH_TOKEN, `/v1/documents/${meshMessageId}`);
  expect(own.status).toBe(200);
  expect(own.body).toMatchObject({
    meshMessageId,
    nhsNumber: ARCHIVE_PATIENT.nhsNumber,
    practiceOds: SOUTH,
    version: 1,
    payloadVersion: 'composition',
    state: 'held',
  });
  expect(own.body).not.toHaveProperty('mailbox');
  const pdf = await call(SOUTH_TOKEN, `/v1/documents/${meshMessageId}/pdf`);
  expect(pdf.status).toBe(200);
  expect(pdf.body).toEqual(INBOX_PDF);

  const missing = await call(NORTH_TOKEN, '/v1/documents/20261120140000000000_ABCDEF');
  expect(missing.status).toBe(404);
  for (const path of ['', '/pdf', '/filed'])
    expect(await call(NORTH_TOKEN, `/v1/documents/${meshMessageId}${path}`)).toEqual(missing);
  expect(
    await call(NORTH_TOKEN, `/v1/documents/${meshMessageId}/rejection`, { code: '30002', reason: 'x' }),
  ).toEqual(missing);
  expect((await inbox.queries.summary(meshMessageId))?.state).toBe('held');
  expect((await call(NORTH_TOKEN, '/v1/documents/not%20an%20id')).status).toBe(400);
});

it('files through the workflow (business answer sent); a second filing is refused with the reason', async () => {
  const { meshMessageId } = await inbox.receive(NORTH);
  const filed = await call(NORTH_TOKEN, `/v1/documents/${meshMessageId}/filed`);
  expect(filed).toEqual({ status: 200, body: { meshMessageId, state: 'filed' } });
  expect((await inbox.queries.summary(meshMessageId))?.state).toBe('filed');
  const listed = await call(NORTH_TOKEN, '/v1/documents');
  expect(listed.body.documents.map((d: any) => d.meshMessageId)).not.toContain(meshMessageId);

  const again = await call(NORTH_TOKEN, `/v1/documents/${meshMessageId}/filed`);
  expect(again.status).toBe(409);
  expect(again.body).toMatchObject({
    error: 'filing_refused',
    issues: [{ field: 'meshMessageId', reason: 'the document was already filed' }],
  });
  const late = await call(NORTH_TOKEN, `/v1/documents/${meshMessageId}/rejection`, {
    code: '30002',
    reason: 'x',
  });
  expect(late.status).toBe(409);
});

it('a bad rejection names its fields and changes nothing; a good one answers its code, the reason kept sealed', async () => {
  const { meshMessageId } = await inbox.receive(NORTH);
  const bad = await call(NORTH_TOKEN, `/v1/documents/${meshMessageId}/rejection`, {
    code: '30001',
    reason: '',
  });
  expect(bad.status).toBe(422);
  expect(bad.body.issues).toEqual([
    { field: 'code', reason: 'must be one of 30002, 30003' },
    { field: 'reason', reason: 'must say why the document is refused' },
  ]);
  expect((await inbox.queries.summary(meshMessageId))?.state).toBe('held');

  const refused = await call(NORTH_TOKEN, `/v1/documents/${meshMessageId}/rejection`, {
    code: '30003',
    reason: REASON,
  });
  expect(refused).toEqual({ status: 200, body: { meshMessageId, state: 'refused' } });
  const shown = await call(NORTH_TOKEN, `/v1/documents/${meshMessageId}`);
  expect(shown.body).toMatchObject({ state: 'refused', refusal: { code: '30003', reason: REASON } });
  await eventually(async () =>
    expect(inbox.answers.find((a) => a.code === '30003')?.diagnostics).toBe(
      'refused by the receiving practice',
    ),
  );
  expect(JSON.stringify(inbox.answers)).not.toContain('May');
  expect(api.logs.join('\n')).not.toContain('May');
  expect(api.logs.join('\n')).not.toContain(ARCHIVE_PATIENT.nhsNumber);
});
