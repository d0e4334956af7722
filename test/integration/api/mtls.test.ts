/**
 * Mutual TLS instead of tokens: a throwaway CA (openssl) signs the server and the client certificates, and revokes
 * one in its CRL. A caller without a certificate, with one from another CA, one not on the allow-list, or a revoked
 * one gets a 401 that says why; a listed one acts only for its practices; health stays open.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import type { Client } from '@temporalio/client';
import { Agent, fetch } from 'undici';
import { FedreportClient } from '../../../client/sdk/fedreport-client';
import { TestPki } from '../../support/test-pki';
import { encounterWorkflowId } from '../../../workflows/encounter-identity';
import {
  encryptingClient,
  exampleSnapshot,
  startTestApi,
  testKeyring,
  workflowExists,
  type TestApi,
} from './support';

let client: Client;
let api: TestApi;
const pki = new TestPki();
const pem = (name: string): Buffer => pki.read(name);

beforeAll(async () => {
  pki.newCa('ca');
  pki.newCa('other-ca');
  pki.issue('ca', 'server', '/CN=127.0.0.1', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth');
  const clientAuth = 'extendedKeyUsage=clientAuth';
  pki.issue('ca', 'client', '/O=Example Trust/CN=clinical-system', clientAuth);
  pki.issue('ca', 'pinned', '/CN=pinned-system', clientAuth);
  pki.issue('ca', 'unlisted', '/O=Example Trust/CN=unlisted-system', clientAuth);
  pki.issue('ca', 'revoked', '/CN=revoked-system', clientAuth);
  pki.issue('other-ca', 'stranger', '/O=Example Trust/CN=clinical-system', clientAuth);
  pki.revoke('ca', 'revoked');
  client = await encryptingClient(testKeyring());
  const pinned = new crypto.X509Certificate(pem('pinned.crt')).fingerprint256;
  api = await startTestApi({
    client,
    auth: {
      mode: 'mtls',
      certificates: [
        // As `openssl x509 -noout -subject` prints it; compared in one normalized spelling.
        {
          name: 'clinical-system',
          subject: 'O = Example Trust, CN = clinical-system',
          practices: ['Y90001'],
        },
        { name: 'pinned-system', sha256: pinned.replace(/:/g, ''), practices: ['Y90001'] },
        { name: 'revoked-system', subject: 'CN=revoked-system', practices: '*' },
      ],
    },
    tls: {
      cert: pem('server.crt'),
      key: pem('server.key'),
      clientCa: pem('ca.crt'),
      crl: pem('ca.crl'),
    },
  });
});

afterAll(async () => {
  await api.close();
  await client.connection.close();
  fs.rmSync(pki.dir, { recursive: true, force: true });
});

type Certificate = 'client' | 'pinned' | 'unlisted' | 'revoked' | 'stranger';

/** By default a snapshot invalid on purpose: the request must get as far as validation, and no further. */
async function postAs(
  certificate: Certificate | undefined,
  snapshot = { ...exampleSnapshot(), revision: 0 },
): Promise<{ status: number; body: any }> {
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

  it('answers 401 for a certificate of the configured CA that is not on the allow-list', async () => {
    const response = await postAs('unlisted');
    expect(response.status).toBe(401);
    expect(response.body.issues).toEqual([
      {
        field: 'client certificate',
        reason: 'is not on the allow-list of FEDREPORT_API_CREDENTIALS_FILE',
      },
    ]);
  });

  it('answers 401 for a listed certificate the CA has revoked', async () => {
    const response = await postAs('revoked');
    expect(response.status).toBe(401);
    expect(response.body.issues[0].reason).toMatch(/not revoked \(CERT_REVOKED\)/);
  });

  it('lets listed certificates, by subject or by fingerprint, through to validation', async () => {
    for (const certificate of ['client', 'pinned'] as const) {
      const response = await postAs(certificate);
      expect(response.status).toBe(422);
      expect(response.body.issues).toEqual([{ field: 'revision', reason: 'must be at least 1' }]);
    }
  });

  it('answers 403 for a practice the certificate does not act for, starting nothing', async () => {
    const snapshot = exampleSnapshot();
    snapshot.hostingPractice.odsCode = 'Y90002';
    const response = await postAs('client', snapshot);
    expect(response).toMatchObject({ status: 403, body: { error: 'practice_not_permitted' } });
    expect(await workflowExists(client, encounterWorkflowId(snapshot.encounterId))).toBe(false);
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
