import { createMeshClient } from '../../../integrations/mesh/client';
import { ValidationError } from '../../../domain/validation-error';
import { meshConfigFromEnv, parseMeshConfig } from '../../../integrations/mesh/config';

const env = {
  FEDREPORT_MESH_URL: 'https://msg.example.test/',
  FEDREPORT_MESH_MAILBOX: 'x26abc1',
  FEDREPORT_MESH_PASSWORD: 'secret-password',
  FEDREPORT_MESH_SHARED_KEY: 'secret-key',
};

test('reads the worker configuration from FEDREPORT_MESH_* with safe defaults', () => {
  const config = meshConfigFromEnv({
    ...env,
    FEDREPORT_MESH_READ_TIMEOUT_MS: '5000',
    FEDREPORT_MESH_RETRY_MAX_ATTEMPTS: '2',
    FEDREPORT_MESH_ACCEPT_GZIP: 'false',
  });
  expect(config).toMatchObject({
    url: 'https://msg.example.test',
    mailbox: 'X26ABC1',
    readTimeoutMs: 5000,
    connectTimeoutMs: 10_000,
    retry: { maxAttempts: 2, baseDelayMs: 500, maxDelayMs: 30_000 },
    chunkSizeBytes: 75 * 1024 * 1024,
    acceptGzip: false,
    tls: {},
  });
  expect(meshConfigFromEnv(env).acceptGzip).toBe(true);
});

test('errors name the variable and the reason, never the value', () => {
  const attempt = () =>
    meshConfigFromEnv({
      ...env,
      FEDREPORT_MESH_URL: 'not a url',
      FEDREPORT_MESH_PASSWORD: '',
      FEDREPORT_MESH_CONNECT_TIMEOUT_MS: 'ten',
      FEDREPORT_MESH_ACCEPT_GZIP: 'maybe',
    });
  expect(attempt).toThrow(ValidationError);
  try {
    attempt();
  } catch (error) {
    const message = (error as Error).message;
    expect(message).toContain('FEDREPORT_MESH_URL (url): Invalid url');
    expect(message).toContain('FEDREPORT_MESH_PASSWORD (password): Required');
    expect(message).toContain(
      'FEDREPORT_MESH_CONNECT_TIMEOUT_MS (connectTimeoutMs): Expected number, received string',
    );
    expect(message).toContain('FEDREPORT_MESH_ACCEPT_GZIP (acceptGzip): Expected boolean, received string');
    expect(message).not.toContain('not a url');
    expect(message).not.toContain('secret');
  }
});

test('a client certificate needs its key', () => {
  expect(() =>
    parseMeshConfig({
      url: 'https://x.test',
      mailbox: 'A',
      password: 'p',
      sharedKey: 'k',
      tls: { certFile: 'client.pem' },
    }),
  ).toThrow('tls.certFile: certFile and keyFile go together');
});

test('an unreadable TLS file is a configuration error naming the setting', () => {
  const config = parseMeshConfig({
    url: 'https://x.test',
    mailbox: 'A',
    password: 'p',
    sharedKey: 'k',
    tls: { caFile: '/nonexistent/ca.pem' },
  });
  expect(() => createMeshClient(config)).toThrow(
    'FEDREPORT_MESH_TLS_CA_FILE (tls.caFile): cannot read /nonexistent/ca.pem (ENOENT)',
  );
});
