/**
 * Mutual TLS instead of tokens: a throwaway CA (openssl) signs the server and one client certificate; a caller
 * without a certificate, or with one from another CA, gets a 401 that says why; health stays open.
 */
import fs from 'node:fs';
import type { Client } from '@temporalio/client';
import { Agent, fetch } from 'undici';
import { FedreportClient } from '../../../client/sdk/fedreport-client';
import { TestPki } from '../../support/test-pki';
import { encryptingClient, exampleSnapshot, startTestApi, testKeyring, type TestApi } from './support';

let client: Client;
let api: TestApi;
const pki = new TestPki();
const pem = (name: string): Buffer => pki.read(name);

beforeAll(async () => {
  pki.newCa('ca');
  pki.newCa('other-ca');
  pki.issue('ca', 'server', '/CN=127.0.0.1', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth');
  pki.issue('ca', 'client', '/CN=clinical-system', 'extendedKeyUsage=clientAuth');
  pki.issue('other-ca', 'stranger', '/CN=stranger', 'extendedKeyUsage=clientAuth');
  client = await encryptingClient(testKeyring());
  api = await startTestApi({
    client,
    auth: { mode: 'mtls' },
    tls: { cert: pem('server.crt'), key: pem('server.key'), clientCa: pem('ca.crt') },
  });
});

afterAll(async () => {
  await api.close();
  await client.connection.close();
  fs.rmSync(pki.dir, { recursive: true, force: true });
});

async function postAs(
  certificate: 'client' | 'stranger' | undefined,
): Promise<{ status: number; body: any }> {
  const snapshot = exampleSnapshot();
  snapshot.revision = 0; // invalid on purpose: the request must get as far as validation, and no further
  const dispatcher = new Agent({
    connect: {
      ca: pem('ca.crt'),
      ...(certificate && { cert: pem(`${certificate}.crt`), key: pem(`${certificate}.key`) }),
    },
  });
  try {
    const response = await fetch(`${api.url}/v1/encounters/${snapshot.encounterId}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(snapshot),
      dispatcher,
    });
    return { status: response.status, body: await response.json() };
  } finally {
    await dispatcher.close();
  }
}

describe('mutual TLS authentication', () => {
  it('answers 401 without a client certificate, naming what is missing', async () => {
    const response = await postAs(undefined);
    expect(response.status).toBe(401);
    expect(response.body.issues[0]).toMatchObject({ field: 'client certificate' });
  });

  it('answers 401 for a certificate from another CA', async () => {
    const response = await postAs('stranger');
    expect(response.status).toBe(401);
    expect(response.body.issues[0].reason).toMatch(/signed by the configured client CA/);
  });

  it('lets a certificate of the configured CA through to validation', async () => {
    const response = await postAs('client');
    expect(response.status).toBe(422);
    expect(response.body.issues).toEqual([{ field: 'revision', reason: 'must be at least 1' }]);
  });

  it('works through the SDK with a client certificate', async () => {
    const sdk = new FedreportClient({
      baseUrl: api.url,
      tls: { cert: pem('client.crt'), key: pem('client.key'), ca: pem('ca.crt') },
    });
    try {
      await expect(sdk.status(exampleSnapshot().encounterId)).resolves.toBeNull();
    } finally {
      await sdk.close();
    }
  });

  it('keeps health open for orchestrators', async () => {
    const dispatcher = new Agent({ connect: { ca: pem('ca.crt') } });
    const response = await fetch(`${api.url}/health`, { dispatcher });
    expect(response.status).toBe(200);
    await dispatcher.close();
  });
});
