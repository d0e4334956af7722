/**
 * fedreport's MESH client against NHS England's mesh-sandbox with full HMAC authentication: every operation, and the
 * errors a sender must tell apart.
 */
import crypto from 'node:crypto';
import { createMeshClient, type MeshClient } from '../../../integrations/mesh/client';
import { MeshAuthenticationError, MeshHttpError } from '../../../integrations/mesh/errors';
import { injectReport, meshTestConfig, resetMesh, setMessageStatus } from '../../support/mesh';

const clients: MeshClient[] = [];
function client(mailbox: string, overrides: Parameters<typeof meshTestConfig>[1] = {}): MeshClient {
  const created = createMeshClient(meshTestConfig(mailbox, overrides));
  clients.push(created);
  return created;
}

async function drain(receiver: MeshClient, maxResults?: number): Promise<string[][]> {
  const pages: string[][] = [];
  for await (const page of receiver.inboxPages({ maxResults })) pages.push(page);
  return pages;
}

beforeEach(() => resetMesh());
afterAll(() => Promise.all(clients.map((c) => c.close())));

test('handshake succeeds with the right credentials', async () => {
  await expect(client('X26ABC1').handshake()).resolves.toBeUndefined();
});

test('a wrong password is a 403 authentication error once the attempt budget (a fresh token each time) is spent', async () => {
  const intruder = client('X26ABC1', {
    password: 'wrong',
    retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 10 },
  });
  const failure = intruder.handshake();
  await expect(failure).rejects.toBeInstanceOf(MeshAuthenticationError);
  await expect(failure).rejects.toMatchObject({ status: 403, attempts: 2 });
});

test('a message is sent, listed, downloaded with every control field intact, acknowledged and gone from the inbox', async () => {
  const sender = client('X26ABC1');
  const receiver = client('X26ABC2');
  const body = `<Bundle xmlns="http://hl7.org/fhir">${crypto.randomUUID()}</Bundle>`;

  const sent = await sender.send({
    to: 'X26ABC2',
    workflowId: 'GPFED_CONSULT_REPORT',
    body,
    subject: 'Consultation report',
    localId: 'enc-42-v1',
    filename: 'report.xml',
    contentType: 'application/fhir+xml',
  });
  expect(sent.chunks).toBe(1);

  expect(await drain(receiver)).toEqual([[sent.messageId]]);
  const message = await receiver.download(sent.messageId);
  expect(message).toMatchObject({
    messageId: sent.messageId,
    messageType: 'DATA',
    from: 'X26ABC1',
    to: 'X26ABC2',
    workflowId: 'GPFED_CONSULT_REPORT',
    subject: 'Consultation report',
    localId: 'enc-42-v1',
    filename: 'report.xml',
    contentType: 'application/fhir+xml',
    chunks: 1,
    status: { success: true, code: '00', event: 'TRANSFER' },
  });
  expect(message.body.toString('utf8')).toBe(body);

  await receiver.acknowledge(sent.messageId);
  expect(await drain(receiver)).toEqual([]);
  await expect(receiver.acknowledge(sent.messageId)).resolves.toBeUndefined();
});

test('compressed and chunked messages (each chunk gzipped on its own) arrive byte for byte', async () => {
  const sender = client('X26ABC1', { chunkSizeBytes: 4_096 });
  const receiver = client('X26ABC2');
  const payload = crypto.randomBytes(10_000);

  const plainChunked = await sender.send({ to: 'X26ABC2', workflowId: 'TEST_WORKFLOW', body: payload });
  const gzippedChunked = await sender.send({
    to: 'X26ABC2',
    workflowId: 'TEST_WORKFLOW',
    body: payload,
    compress: true,
    contentType: 'application/pdf',
  });
  const gzippedSingle = await sender.send({
    to: 'X26ABC2',
    workflowId: 'TEST_WORKFLOW',
    body: payload.subarray(0, 4_000),
    compress: true,
  });
  expect([plainChunked.chunks, gzippedChunked.chunks, gzippedSingle.chunks]).toEqual([3, 3, 1]);

  for (const [sent, expected] of [
    [plainChunked, payload],
    [gzippedChunked, payload],
    [gzippedSingle, payload.subarray(0, 4_000)],
  ] as const) {
    const message = await receiver.download(sent.messageId);
    expect(message.chunks).toBe(sent.chunks);
    expect(message.body.equals(expected)).toBe(true);
  }
  expect((await receiver.download(gzippedChunked.messageId)).contentType).toBe('application/pdf');
});

test('a receiver that declines gzip answers still gets compressed messages decoded (the sandbox unzips them)', async () => {
  const payload = crypto.randomBytes(6_000);
  const sent = await client('X26ABC1', { chunkSizeBytes: 4_096 }).send({
    to: 'X26ABC2',
    workflowId: 'TEST_WORKFLOW',
    body: payload,
    compress: true,
  });
  const message = await client('X26ABC2', { acceptGzip: false }).download(sent.messageId);
  expect(message.body.equals(payload)).toBe(true);
});

test('an unregistered recipient is a permanent 417 with MESH code 12, tried once, and the address is not in the error', async () => {
  const sender = client('X26ABC1');
  const failure = sender.send({
    to: 'GPPROVIDER_9000000009_20101022_SMITH',
    workflowId: 'GPFED_CONSULT_REPORT',
    body: 'x',
    subject: 'Jane Smith',
  });
  await expect(failure).rejects.toBeInstanceOf(MeshHttpError);
  await expect(failure).rejects.toMatchObject({
    status: 417,
    code: '12',
    event: 'SEND',
    retryable: false,
    attempts: 1,
  });
  const message = await failure.catch((error: Error) => error.message);
  expect(message).not.toMatch(/9000000009|SMITH|Jane/i);
});

test('inbox listing follows links.next across pages of ids', async () => {
  const sender = client('X26ABC1');
  const receiver = client('X26ABC3');
  const sent: string[] = [];
  for (let i = 0; i < 25; i += 1)
    sent.push((await sender.send({ to: 'X26ABC3', workflowId: 'TEST_WORKFLOW', body: `m${i}` })).messageId);

  const first = await receiver.listInboxPage({ maxResults: 10 });
  expect(first.messageIds).toHaveLength(10);
  expect(first.nextPath).toMatch(/^\/messageexchange\/X26ABC3\/inbox\?/);

  const pages = await drain(receiver, 10);
  expect(pages.map((page) => page.length)).toEqual([10, 10, 5]);
  expect(pages.flat().sort()).toEqual([...sent].sort());
});

test('draining polls again after a full page, picking up what arrived while the caller worked through it', async () => {
  const sender = client('X26ABC1');
  const receiver = client('X26ABC2');
  for (let i = 0; i < 10; i += 1)
    await sender.send({ to: 'X26ABC2', workflowId: 'TEST_WORKFLOW', body: `first${i}` });

  const seen: string[] = [];
  const late: string[] = [];
  for await (const page of receiver.inboxPages({ maxResults: 10 })) {
    for (const id of page) {
      await receiver.acknowledge(id);
      seen.push(id);
    }
    if (late.length === 0) {
      for (let i = 0; i < 3; i += 1)
        late.push(
          (await sender.send({ to: 'X26ABC2', workflowId: 'TEST_WORKFLOW', body: `late${i}` })).messageId,
        );
    }
  }
  expect(seen).toHaveLength(13);
  expect(seen.slice(10).sort()).toEqual(late.sort());
});

test('a REPORT (failed GPPROVIDER routing) is downloaded with its error code and the id of the failed message', async () => {
  const sender = client('X26ABC1');
  const original = await sender.send({
    to: 'X26ABC2',
    workflowId: 'GPFED_CONSULT_REPORT',
    body: 'report',
    localId: 'enc-7-v2',
  });
  const reportId = await injectReport({
    mailbox: 'X26ABC1',
    code: 'EPL-151',
    description: 'No mailbox matched',
    workflowId: 'GPFED_CONSULT_REPORT',
    linkedMessageId: original.messageId,
    localId: 'enc-7-v2',
  });

  expect(await drain(sender)).toEqual([[reportId]]);
  const report = await sender.download(reportId);
  expect(report).toMatchObject({
    messageType: 'REPORT',
    linkedMessageId: original.messageId,
    localId: 'enc-7-v2',
    workflowId: 'GPFED_CONSULT_REPORT',
    status: { success: false, code: 'EPL-151', description: 'No mailbox matched' },
  });
  expect(report.body.length).toBe(0);
  await sender.acknowledge(reportId);
});

test("the sandbox's own non-delivery report carries code 14", async () => {
  const sender = client('X26ABC1');
  const reportId = await injectReport({
    mailbox: 'X26ABC1',
    code: '14',
    description: 'ignored',
    workflowId: 'GPFED_CONSULT_REPORT',
    status: 'undeliverable',
  });
  expect((await sender.download(reportId)).status).toMatchObject({
    success: false,
    code: '14',
    event: 'SEND',
  });
});

test("tracking shows a sent message's recipient, local id and status", async () => {
  const sender = client('X26ABC1');
  const sent = await sender.send({
    to: 'X26ABC2',
    workflowId: 'GPFED_CONSULT_REPORT',
    body: 'tracked',
    localId: 'enc-9-v1',
  });
  expect(await sender.track(sent.messageId)).toMatchObject({
    messageId: sent.messageId,
    localId: 'enc-9-v1',
    workflowId: 'GPFED_CONSULT_REPORT',
    recipient: 'X26ABC2',
    status: 'accepted',
    statusSuccess: true,
  });
  await client('X26ABC2').acknowledge(sent.messageId);
  expect((await sender.track(sent.messageId)).status).toBe('acknowledged');
});

test('endpoint lookup finds the mailboxes registered for an ODS code and workflow', async () => {
  expect(await client('X26ABC1').lookupEndpoint('X26', 'TEST_WORKFLOW')).toEqual([
    { mailboxId: 'X26ABC2', mailboxName: 'TESTMB2' },
  ]);
  expect(await client('X26ABC1').lookupEndpoint('X99', 'TEST_WORKFLOW')).toEqual([]);
});

test('downloading an unknown message is a permanent 404; a message no longer available is a permanent 410', async () => {
  const receiver = client('X26ABC2');
  await expect(receiver.download('0123456789ABCDEF0123456789ABCDEF')).rejects.toMatchObject({
    status: 404,
    retryable: false,
    attempts: 1,
  });

  const sent = await client('X26ABC1').send({ to: 'X26ABC2', workflowId: 'TEST_WORKFLOW', body: 'expired' });
  await setMessageStatus(sent.messageId, 'undeliverable');
  await expect(receiver.download(sent.messageId)).rejects.toMatchObject({
    status: 410,
    retryable: false,
    messageId: sent.messageId,
  });
});
