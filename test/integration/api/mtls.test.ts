/**
 * Mutual TLS instead of tokens: a throwaway CA (openssl) signs the server and one client certificate; a caller
 * without a certificate, or with one from another CA, gets a 401 that says why; health stays open.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { Agent, fetch } from 'undici';
import { FedreportClient } from '../../../client/sdk/fedreport-client';
import { encryptingClient, exampleSnapshot, startTestApi, testKeyring, type TestApi } from './support';

let dir: string;
let client: Client;
let api: TestApi;
const pem = (name: string): Buffer => fs.readFileSync(path.join(dir, name));

function openssl(...args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
}

/** A certificate signed by `ca` for `subject`; `extensions` add the SAN the TLS client checks, or the key usage. */
function issue(ca: string, name: string, subject: string, extensions: string): void {
  openssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.csr`,
    '-subj',
    subject,
  );
  fs.writeFileSync(path.join(dir, `${name}.ext`), extensions);
  openssl(
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    '-CA',
    `${ca}.crt`,
    '-CAkey',
    `${ca}.key`,
    '-CAcreateserial',
    '-days',
    '2',
    '-out',
    `${name}.crt`,
    '-extfile',
    `${name}.ext`,
  );
}

function newCa(name: string): void {
  openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.crt`,
    '-days',
    '2',
    '-subj',
    `/CN=${name}`,
  );
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fedreport-mtls-'));
  newCa('ca');
  newCa('other-ca');
  issue('ca', 'server', '/CN=127.0.0.1', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  issue('ca', 'client', '/CN=clinical-system', 'extendedKeyUsage=clientAuth\n');
  issue('other-ca', 'stranger', '/CN=stranger', 'extendedKeyUsage=clientAuth\n');
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
  fs.rmSync(dir, { recursive: true, force: true });
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
