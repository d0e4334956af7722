/**
 * The codec server over real HTTP, as the Temporal UI uses it: payloads taken from a real workflow history decode to
 * the snapshot, encode/decode round-trip, every request needs a token (header or path), and CORS lets the UI origin
 * (and only it) read the answers.
 */
import crypto from 'node:crypto';
import type { Client } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import type { CodecKeyring } from '../../../common/codec-keys';
import { createLogger } from '../../../common/logger';
import { AesGcmPayloadCodec } from '../../../common/payload-codec';
import { startCodecServer, type RunningCodecServer } from '../../../client/codec-server/server';
import { payloadToJson } from '../../../client/codec-server/payload-json';
import { submitConsultationSaved } from '../../../client/encounters';
import { parseConsultationSnapshot } from '../../../domain/snapshot';
import { EXAMPLE_PHI, encryptingClient, exampleSnapshot } from '../api/support';

const TOKEN = 'codec-token-0123456789abcdef';
const UI_ORIGIN = 'http://127.0.0.1:8233';

let keyring: CodecKeyring;
let server: RunningCodecServer;
const logs: string[] = [];

beforeAll(async () => {
  keyring = { activeKeyId: 'ui1', keys: new Map([['ui1', crypto.randomBytes(32)]]) };
  server = await startCodecServer({
    codec: new AesGcmPayloadCodec(keyring),
    tokens: [TOKEN],
    allowedOrigins: [UI_ORIGIN],
    logger: createLogger('codec-server-test', 'debug', { write: (line: string) => void logs.push(line) }),
  });
});

afterAll(() => server.close());

async function call(
  url: string,
  payloads: unknown[],
  headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` },
): Promise<{ status: number; headers: Headers; body: any }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-namespace': 'default', ...headers },
    body: JSON.stringify({ payloads }),
  });
  return { status: response.status, headers: response.headers, body: await response.json() };
}

const plain = (value: unknown) => payloadToJson(defaultPayloadConverter.toPayload(value));

describe('codec server', () => {
  it('listens on loopback by default', () => {
    expect(new URL(server.url).hostname).toBe('127.0.0.1');
  });

  it('round-trips payloads through /encode and /decode', async () => {
    const originals = [plain({ nhsNumber: '9990000018' }), plain('text'), plain(null)];
    const encoded = await call(`${server.url}/encode`, originals);
    expect(encoded.status).toBe(200);
    expect(encoded.body.payloads).toHaveLength(3);
    for (const payload of encoded.body.payloads) {
      expect(Buffer.from(payload.metadata.encoding, 'base64').toString()).toBe('binary/encrypted');
    }

    const decoded = await call(`${server.url}/decode`, encoded.body.payloads);
    expect(decoded.status).toBe(200);
    expect(decoded.body.payloads).toEqual(originals);
  });

  it('decodes what a fedreport client stored in a real workflow history to the snapshot', async () => {
    const client: Client = await encryptingClient(keyring);
    const snapshot = parseConsultationSnapshot(exampleSnapshot());
    const { workflowId } = await submitConsultationSaved(client, snapshot);
    try {
      const history = await client.workflow.getHandle(workflowId).fetchHistory();
      const signal = history.events?.find((e) => e.workflowExecutionSignaledEventAttributes);
      const stored = signal!.workflowExecutionSignaledEventAttributes!.input!.payloads!.map(payloadToJson);
      // The UI's path: the endpoint it is configured with carries the token, and it sends no Authorization header.
      const decoded = await call(`${server.uiEndpoint(TOKEN)}/decode`, stored, {});
      expect(decoded.status).toBe(200);
      const value = JSON.parse(Buffer.from(decoded.body.payloads[0].data, 'base64').toString('utf8'));
      expect(value.patient.nhsNumber).toBe('9990000018');
      expect(value.encounterId).toBe(snapshot.encounterId);
    } finally {
      await client.workflow.getHandle(workflowId).terminate('codec server test cleanup');
      await client.connection.close();
    }
  });

  it('names the payload it cannot decode and the key id it was asked for, and none of its own', async () => {
    const foreign = new AesGcmPayloadCodec({
      activeKeyId: 'elsewhere',
      keys: new Map([['elsewhere', crypto.randomBytes(32)]]),
    });
    const [encrypted] = await foreign.encode([defaultPayloadConverter.toPayload('x')]);
    const [ours] = await new AesGcmPayloadCodec(keyring).encode([defaultPayloadConverter.toPayload('ok')]);
    const response = await call(`${server.url}/decode`, [payloadToJson(ours!), payloadToJson(encrypted!)]);
    expect(response.status).toBe(422);
    expect(response.body).toMatchObject({
      error: 'undecodable_payload',
      issues: [{ field: 'payloads[1]', reason: expect.stringContaining('"elsewhere"') }],
    });
    expect(JSON.stringify(response.body)).not.toContain('ui1');
  });

  it('refuses a plaintext payload, naming its index and nothing of its content', async () => {
    const response = await call(`${server.url}/decode`, [plain({ nhsNumber: '9990000018' })]);
    expect(response.status).toBe(422);
    expect(response.body).toMatchObject({
      error: 'undecodable_payload',
      issues: [{ field: 'payloads[0]', reason: expect.stringContaining('not encrypted') }],
    });
    expect(JSON.stringify(response.body)).not.toContain('9990000018');
  });

  it('rejects a body that is not { payloads: [...] }', async () => {
    const response = await fetch(`${server.url}/decode`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ payloads: [{ data: 'not base64!' }] }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      issues: [{ field: 'payloads[0].data', reason: 'must be base64' }],
    });
  });
});

describe('codec server authentication', () => {
  it.each([
    ['no token', `/decode`, {}],
    ['a wrong bearer token', `/decode`, { authorization: 'Bearer wrong-token-0123456789' }],
    ['a wrong path token', `/wrong-token-0123456789/decode`, {}],
    ['no token on /encode', `/encode`, {}],
  ])('answers 401 for %s', async (_case, route, headers) => {
    const response = await call(`${server.url}${route}`, [plain('x')], headers);
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ error: 'unauthorized', issues: [{ field: 'Authorization' }] });
  });

  it('keeps tokens and payload contents out of its log', () => {
    const log = logs.join('');
    expect(log).toContain('/:token/decode');
    for (const secret of [TOKEN, ...EXAMPLE_PHI]) expect(log).not.toContain(secret);
  });
});

describe('CORS for the Temporal UI', () => {
  const preflight = (origin: string) =>
    fetch(`${server.uiEndpoint(TOKEN)}/decode`, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,x-namespace,authorization',
      },
    });

  it('answers the preflight of the UI origin with its method and headers', async () => {
    const response = await preflight(UI_ORIGIN);
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
    expect(response.headers.get('access-control-allow-methods')).toBe('POST');
    const allowed = (response.headers.get('access-control-allow-headers') ?? '')
      .split(',')
      .map((h) => h.trim());
    expect(allowed).toEqual(expect.arrayContaining(['x-namespace', 'content-type', 'authorization']));
  });

  it('lets the UI origin read the answer, and no other origin', async () => {
    const fromUi = await call(`${server.url}/decode`, [plain('x')], {
      authorization: `Bearer ${TOKEN}`,
      origin: UI_ORIGIN,
    });
    expect(fromUi.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
    const elsewhere = await preflight('http://evil.example');
    expect(elsewhere.headers.get('access-control-allow-origin')).toBeNull();
  });
});
