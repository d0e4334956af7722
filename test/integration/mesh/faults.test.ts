/**
 * The retry rules under real network faults, injected by a proxy between fedreport's MESH client and mesh-sandbox:
 * reads, acknowledgements and chunk uploads retry; the first POST to /outbox is never repeated once its body may
 * have left, and then reports an unknown outcome instead of risking a duplicate report.
 */
import crypto from 'node:crypto';
import { createMeshClient, type MeshClient, type MeshLogger } from '../../../integrations/mesh/client';
import type { MeshConfigInput } from '../../../integrations/mesh/config';
import { MeshConnectionError, MeshHttpError, MeshUnknownOutcomeError } from '../../../integrations/mesh/errors';
import { FaultProxy } from '../../support/fault-proxy';
import { meshTestConfig, resetMesh } from '../../support/mesh';

const OUTBOX = /^\/messageexchange\/X26ABC1\/outbox$/;
const INBOX = /^\/messageexchange\/X26ABC2\/inbox/;
const report = {
  to: 'X26ABC2',
  workflowId: 'GPFED_CONSULT_REPORT',
  body: '<Bundle/>',
  localId: 'enc-1-v1',
  subject: 'Jane Smith',
};

let proxy: FaultProxy;
// Both mailboxes also talk to the sandbox directly, to set up and to check what really happened.
let direct: MeshClient;
let directSender: MeshClient;
const clients: MeshClient[] = [];

function viaProxy(
  mailbox: string,
  overrides: Partial<MeshConfigInput> = {},
  logger?: MeshLogger,
): MeshClient {
  const created = createMeshClient(
    meshTestConfig(mailbox, {
      url: proxy.url,
      readTimeoutMs: 5_000,
      retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 2_000 },
      ...overrides,
    }),
    { logger },
  );
  clients.push(created);
  return created;
}

async function recipientInbox(): Promise<string[]> {
  return (await direct.listInboxPage()).messageIds;
}

beforeAll(() => {
  direct = createMeshClient(meshTestConfig('X26ABC2'));
  directSender = createMeshClient(meshTestConfig('X26ABC1'));
});
beforeEach(async () => {
  await resetMesh();
  proxy = await FaultProxy.start(meshTestConfig('X26ABC2').url);
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await proxy.close();
});
afterAll(() => Promise.all([direct.close(), directSender.close()]));

describe('connection refused (nothing was sent)', () => {
  test('reads are retried and succeed once the server listens again', async () => {
    const reopenOnFirstRetry: MeshLogger = { debug: () => undefined, warn: () => proxy.acceptConnections() };
    const receiver = viaProxy('X26ABC2', {}, reopenOnFirstRetry);
    proxy.refuseConnections();
    await expect(receiver.listInboxPage()).resolves.toMatchObject({ messageIds: [] });
  });

  test('even the first POST to /outbox is retried, because it never left; when refusals persist the error says so', async () => {
    const sender = viaProxy('X26ABC1');
    proxy.refuseConnections();
    const failure = sender.send(report);
    await expect(failure).rejects.toBeInstanceOf(MeshConnectionError);
    await expect(failure).rejects.toMatchObject({
      failure: 'refused',
      requestMayHaveBeenSent: false,
      retryable: true,
      attempts: 3,
    });
  });
});

describe('connection reset before the request body was read', () => {
  test('a read is retried with a fresh auth token', async () => {
    proxy.inject({ kind: 'reset-before-body' }, { method: 'GET', path: INBOX });
    await expect(viaProxy('X26ABC2').listInboxPage()).resolves.toMatchObject({ messageIds: [] });
    const attempts = proxy.requests.filter((r) => INBOX.test(r.path));
    expect(attempts).toHaveLength(2);
    expect(attempts[0]!.authorization).not.toBe(attempts[1]!.authorization);
  });

  test('the first POST to /outbox is not repeated: unknown outcome with the local id (here nothing was created)', async () => {
    proxy.inject({ kind: 'reset-before-body' }, { method: 'POST', path: OUTBOX });
    const failure = viaProxy('X26ABC1').send(report);
    await expect(failure).rejects.toBeInstanceOf(MeshUnknownOutcomeError);
    await expect(failure).rejects.toMatchObject({ localId: 'enc-1-v1', retryable: false });
    expect(proxy.count('POST', OUTBOX)).toBe(1);
    expect(await recipientInbox()).toEqual([]);
  });
});

describe('connection reset after the server processed the request', () => {
  test('the first POST to /outbox reports an unknown outcome and is not resent: exactly one message exists', async () => {
    proxy.inject({ kind: 'reset-after-body' }, { method: 'POST', path: OUTBOX });
    const failure = viaProxy('X26ABC1').send(report);
    await expect(failure).rejects.toBeInstanceOf(MeshUnknownOutcomeError);
    const message = await failure.catch((error: Error) => error.message);
    expect(message).toContain('enc-1-v1');
    expect(message).not.toMatch(/Jane|X26ABC2/);
    expect(proxy.count('POST', OUTBOX)).toBe(1);
    expect(await recipientInbox()).toHaveLength(1);
  });

  test('a chunk upload is retried and the message arrives whole, once', async () => {
    const payload = crypto.randomBytes(5_000);
    proxy.inject({ kind: 'reset-after-body' }, { method: 'POST', path: /\/outbox\/[^/]+\/2$/ });
    const sent = await viaProxy('X26ABC1', { chunkSizeBytes: 2_000 }).send({ ...report, body: payload });
    expect(sent.chunks).toBe(3);
    expect(proxy.count('POST', /\/outbox\/[^/]+\/2$/)).toBe(2);
    expect(await recipientInbox()).toEqual([sent.messageId]);
    expect((await direct.download(sent.messageId)).body.equals(payload)).toBe(true);
  });

  test('an acknowledgement whose answer was lost is retried', async () => {
    const sent = await directSender.send(report);
    proxy.inject({ kind: 'reset-after-body' }, { method: 'PUT' });
    await viaProxy('X26ABC2').acknowledge(sent.messageId);
    expect(proxy.count('PUT', /acknowledged$/)).toBe(2);
    expect(await recipientInbox()).toEqual([]);
  });
});

describe('5xx answers', () => {
  test('502/503/504 on a read are retried', async () => {
    proxy.inject({ kind: 'status', status: 503 }, { method: 'GET', path: INBOX });
    proxy.inject({ kind: 'status', status: 502 }, { method: 'GET', path: INBOX });
    await expect(viaProxy('X26ABC2').listInboxPage()).resolves.toMatchObject({ messageIds: [] });
    expect(proxy.count('GET', INBOX)).toBe(3);
  });

  test('500 is not retried', async () => {
    proxy.inject({ kind: 'status', status: 500 }, { method: 'GET', path: INBOX });
    await expect(viaProxy('X26ABC2').listInboxPage()).rejects.toMatchObject({
      status: 500,
      retryable: false,
      attempts: 1,
    });
  });

  test('a 5xx to the first POST to /outbox is an unknown outcome (a gateway error proves nothing), not a resend', async () => {
    proxy.inject({ kind: 'status', status: 504 }, { method: 'POST', path: OUTBOX });
    await expect(viaProxy('X26ABC1').send(report)).rejects.toBeInstanceOf(MeshUnknownOutcomeError);
    expect(proxy.count('POST', OUTBOX)).toBe(1);
  });
});

describe('429 Too Many Requests with Retry-After', () => {
  test('a read waits as long as the server asks, then succeeds', async () => {
    proxy.inject(
      { kind: 'status', status: 429, headers: { 'retry-after': '1' } },
      { method: 'GET', path: INBOX },
    );
    const started = Date.now();
    await expect(viaProxy('X26ABC2').listInboxPage()).resolves.toMatchObject({ messageIds: [] });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  test("a Retry-After beyond the policy's longest wait is handed to the caller instead of slept on", async () => {
    proxy.inject(
      { kind: 'status', status: 429, headers: { 'retry-after': '120' } },
      { method: 'GET', path: INBOX },
    );
    await expect(viaProxy('X26ABC2').listInboxPage()).rejects.toMatchObject({
      status: 429,
      retryable: true,
      retryAfterMs: 120_000,
      attempts: 1,
    });
  });

  test('the first POST to /outbox is refused for now: a retryable error for the caller, never resent by the client', async () => {
    proxy.inject(
      { kind: 'status', status: 429, headers: { 'retry-after': '1' } },
      { method: 'POST', path: OUTBOX },
    );
    const failure = viaProxy('X26ABC1').send(report);
    await expect(failure).rejects.toBeInstanceOf(MeshHttpError);
    await expect(failure).rejects.toMatchObject({ status: 429, retryable: true, retryAfterMs: 1_000 });
    expect(proxy.count('POST', OUTBOX)).toBe(1);
    expect(await recipientInbox()).toEqual([]);
  });
});

describe('stalled answers', () => {
  test('a read that stalls past the read timeout is retried', async () => {
    proxy.inject({ kind: 'stall' }, { method: 'GET', path: INBOX });
    await expect(viaProxy('X26ABC2', { readTimeoutMs: 300 }).listInboxPage()).resolves.toMatchObject({
      messageIds: [],
    });
    expect(proxy.count('GET', INBOX)).toBe(2);
  });

  test('a stalled first POST to /outbox times out into an unknown outcome', async () => {
    proxy.inject({ kind: 'stall' }, { method: 'POST', path: OUTBOX });
    const failure = viaProxy('X26ABC1', { readTimeoutMs: 300 }).send(report);
    await expect(failure).rejects.toBeInstanceOf(MeshUnknownOutcomeError);
    const cause = await failure.catch((error: Error) => error.cause);
    expect(cause).toMatchObject({ failure: 'read-timeout' });
    expect(proxy.count('POST', OUTBOX)).toBe(1);
  });
});

test('a 403 (stale or reused token) is retried once with a fresh token', async () => {
  proxy.inject({ kind: 'status', status: 403 }, { method: 'GET', path: INBOX });
  await expect(viaProxy('X26ABC2').listInboxPage()).resolves.toMatchObject({ messageIds: [] });
  const [first, second] = proxy.requests.filter((r) => INBOX.test(r.path));
  expect(first!.authorization).not.toBe(second!.authorization);
});
