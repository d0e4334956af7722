/**
 * Mutual TLS as real MESH requires it: a TLS terminator that demands a client certificate from a test CA sits in
 * front of mesh-sandbox (which itself speaks plain HTTP here); the client presents certificate, key and CA bundle
 * from its configuration.
 */
import fs from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import { createMeshClient } from '../../../integrations/mesh/client';
import type { MeshConfigInput } from '../../../integrations/mesh/config';
import { MeshConnectionError } from '../../../integrations/mesh/errors';
import { meshTestConfig, resetMesh } from '../../support/mesh';
import { TestPki } from '../../support/test-pki';

const pki = new TestPki();
const file = (name: string): string => pki.file(name);
const CLIENT_CN = 'SERVER001.X26.api.mesh-client.nhs.uk';

/** A CA, a server certificate for 127.0.0.1 and a client certificate named the way NHS names MESH client certs. */
function makeCertificates(): void {
  pki.newCa('ca', '/CN=fedreport test CA');
  pki.newCa('other-ca', '/CN=other CA');
  pki.issue('ca', 'server', '/CN=127.0.0.1', 'subjectAltName=IP:127.0.0.1');
  pki.issue('ca', 'client', `/CN=${CLIENT_CN}`, 'extendedKeyUsage=clientAuth');
}

let terminator: tls.Server;
let url: string;
const clientNames: string[] = [];

beforeAll(async () => {
  makeCertificates();
  const upstream = new URL(meshTestConfig('X26ABC1').url);
  terminator = tls.createServer(
    {
      key: fs.readFileSync(file('server.key')),
      cert: fs.readFileSync(file('server.crt')),
      ca: fs.readFileSync(file('ca.crt')),
      requestCert: true,
      rejectUnauthorized: true,
    },
    (socket) => {
      clientNames.push(String(socket.getPeerCertificate().subject?.CN));
      const backend = net.connect(Number(upstream.port), upstream.hostname);
      socket.pipe(backend).pipe(socket);
      backend.on('error', () => socket.destroy());
      socket.on('error', () => backend.destroy());
    },
  );
  terminator.on('tlsClientError', () => undefined); // expected in the refusal tests
  await new Promise<void>((resolve) => terminator.listen(0, '127.0.0.1', resolve));
  url = `https://127.0.0.1:${(terminator.address() as net.AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => terminator.close(resolve));
  fs.rmSync(pki.dir, { recursive: true, force: true });
});
beforeEach(() => resetMesh());

function tlsClient(mailbox: string, tlsFiles: MeshConfigInput['tls']) {
  return createMeshClient(
    meshTestConfig(mailbox, { url, tls: tlsFiles, retry: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0 } }),
  );
}

test('with the configured client certificate, key and CA bundle the client talks to MESH over mutual TLS', async () => {
  const files = { certFile: file('client.crt'), keyFile: file('client.key'), caFile: file('ca.crt') };
  const sender = tlsClient('X26ABC1', files);
  const receiver = tlsClient('X26ABC2', files);
  try {
    await sender.handshake();
    const sent = await sender.send({
      to: 'X26ABC2',
      workflowId: 'TEST_WORKFLOW',
      body: 'over mutual TLS',
      compress: true,
    });
    expect((await receiver.download(sent.messageId)).body.toString()).toBe('over mutual TLS');
    expect(clientNames).toContain(CLIENT_CN);
  } finally {
    await Promise.all([sender.close(), receiver.close()]);
  }
});

test('a server certificate outside the configured CA bundle is refused before any request is sent', async () => {
  const client = tlsClient('X26ABC1', {
    certFile: file('client.crt'),
    keyFile: file('client.key'),
    caFile: file('other-ca.crt'),
  });
  try {
    const failure = client.send({ to: 'X26ABC2', workflowId: 'TEST_WORKFLOW', body: 'x' });
    await expect(failure).rejects.toBeInstanceOf(MeshConnectionError);
    await expect(failure).rejects.toMatchObject({ failure: 'tls', requestMayHaveBeenSent: false });
  } finally {
    await client.close();
  }
});

test('without a client certificate the server refuses the connection', async () => {
  const client = tlsClient('X26ABC1', { caFile: file('ca.crt') });
  try {
    await expect(client.handshake()).rejects.toBeInstanceOf(MeshConnectionError);
  } finally {
    await client.close();
  }
});
