import { apiConfigFromEnv } from '../../../client/api/config';
import { codecServerConfigFromEnv } from '../../../client/codec-server/config';
import { validationIssues } from '../../support/validation-issues';

const issues = validationIssues;

const TOKEN = 'a-token-of-sixteen+';

describe('API settings', () => {
  it('defaults to bearer tokens on loopback with a body limit of 5 MiB of base64 attachments and twice the 1.5 MiB snapshot budget; listed tokens act for every practice', () => {
    expect(apiConfigFromEnv({ FEDREPORT_API_TOKENS: `${TOKEN}, ${TOKEN}2` })).toEqual({
      host: '127.0.0.1',
      port: 8090,
      auth: {
        mode: 'bearer',
        tokens: [
          { name: 'FEDREPORT_API_TOKENS[0]', token: TOKEN, practices: '*' },
          { name: 'FEDREPORT_API_TOKENS[1]', token: `${TOKEN}2`, practices: '*' },
        ],
      },
      bodyLimitBytes: 6_990_508 + 3 * 1024 * 1024,
      maxSnapshotBytes: 1.5 * 1024 * 1024,
      temporalTimeoutMs: 10_000,
      timeouts: { headersMs: 10_000, requestMs: 60_000, keepAliveMs: 72_000, idleMs: 120_000 },
      rateLimit: { max: 600, windowMs: 60_000 },
      logLevel: 'info',
    });
  });

  it('names each wrong variable and why', () => {
    expect(issues(() => apiConfigFromEnv({}))).toEqual([
      {
        field: 'FEDREPORT_API_CREDENTIALS_FILE',
        reason: 'is required when FEDREPORT_API_AUTH is bearer (or FEDREPORT_API_TOKENS)',
      },
    ]);
    expect(
      issues(() => apiConfigFromEnv({ FEDREPORT_API_TOKENS: 'short', FEDREPORT_API_PORT: '70000' })),
    ).toEqual([
      { field: 'FEDREPORT_API_PORT', reason: 'must be between 0 and 65535' },
      { field: 'FEDREPORT_API_TOKENS', reason: 'each token must be at least 16 characters' },
    ]);
    expect(
      issues(() => apiConfigFromEnv({ FEDREPORT_API_TOKENS: TOKEN, FEDREPORT_API_BODY_LIMIT_BYTES: '10MB' })),
    ).toEqual([{ field: 'FEDREPORT_API_BODY_LIMIT_BYTES', reason: 'must be a whole number' }]);
    expect(issues(() => apiConfigFromEnv({ FEDREPORT_API_AUTH: 'basic' }))[0]).toEqual({
      field: 'FEDREPORT_API_AUTH',
      reason: 'must be one of bearer, mtls',
    });
  });

  it('takes a snapshot budget up to what a Temporal gRPC message can carry; the body limit follows it unless set', () => {
    const env = { FEDREPORT_API_TOKENS: TOKEN, FEDREPORT_API_MAX_SNAPSHOT_BYTES: '1000000' };
    // 5 MiB of attachments as base64 (6,990,508 bytes) and twice the budget.
    expect(apiConfigFromEnv(env)).toMatchObject({ maxSnapshotBytes: 1_000_000, bodyLimitBytes: 8_990_508 });
    expect(apiConfigFromEnv({ ...env, FEDREPORT_API_BODY_LIMIT_BYTES: '1500000' }).bodyLimitBytes).toBe(
      1_500_000,
    );
    expect(issues(() => apiConfigFromEnv({ ...env, FEDREPORT_API_MAX_SNAPSHOT_BYTES: '8388608' }))).toEqual([
      { field: 'FEDREPORT_API_MAX_SNAPSHOT_BYTES', reason: 'must be between 65536 and 4194304' },
    ]);
  });

  it('takes timeouts and the rate limit from the environment; headers must arrive within the request timeout', () => {
    const env = {
      FEDREPORT_API_TOKENS: TOKEN,
      FEDREPORT_API_HEADERS_TIMEOUT_MS: '2000',
      FEDREPORT_API_REQUEST_TIMEOUT_MS: '5000',
      FEDREPORT_API_RATE_LIMIT_MAX: '10',
      FEDREPORT_API_RATE_LIMIT_WINDOW_MS: '1000',
    };
    expect(apiConfigFromEnv(env)).toMatchObject({
      timeouts: { headersMs: 2_000, requestMs: 5_000 },
      rateLimit: { max: 10, windowMs: 1_000 },
    });
    expect(issues(() => apiConfigFromEnv({ ...env, FEDREPORT_API_HEADERS_TIMEOUT_MS: '6000' }))).toEqual([
      {
        field: 'FEDREPORT_API_HEADERS_TIMEOUT_MS',
        reason: 'must not be above FEDREPORT_API_REQUEST_TIMEOUT_MS (headers are part of the request)',
      },
    ]);
  });

  it('requires the server certificate and the client CA for mutual TLS', () => {
    expect(issues(() => apiConfigFromEnv({ FEDREPORT_API_AUTH: 'mtls' })).map((i) => i.field)).toEqual([
      'FEDREPORT_API_CREDENTIALS_FILE',
      'FEDREPORT_API_TLS_CLIENT_CA_FILE',
      'FEDREPORT_API_TLS_CERT_FILE',
    ]);
  });

  it('names a TLS file it cannot read', () => {
    const env = {
      FEDREPORT_API_TOKENS: TOKEN,
      FEDREPORT_API_TLS_CERT_FILE: '/nonexistent/server.crt',
      FEDREPORT_API_TLS_KEY_FILE: '/nonexistent/server.key',
    };
    expect(issues(() => apiConfigFromEnv(env))).toEqual([
      { field: 'FEDREPORT_API_TLS_CERT_FILE', reason: 'cannot be read (ENOENT)' },
    ]);
  });
});

describe('codec server settings', () => {
  it('defaults to loopback and the local Temporal UI origins', () => {
    expect(codecServerConfigFromEnv({ FEDREPORT_CODEC_SERVER_TOKENS: TOKEN })).toMatchObject({
      host: '127.0.0.1',
      port: 8091,
      tokens: [TOKEN],
      allowedOrigins: ['http://127.0.0.1:8233', 'http://localhost:8233'],
    });
  });

  it('requires a token and real origins', () => {
    expect(issues(() => codecServerConfigFromEnv({}))).toEqual([
      {
        field: 'FEDREPORT_CODEC_SERVER_TOKENS',
        reason: 'is required unless the FEDREPORT_CODEC_OIDC_* settings are set: the codec server decrypts PHI for whoever calls it',
      },
    ]);
    expect(
      issues(() =>
        codecServerConfigFromEnv({
          FEDREPORT_CODEC_SERVER_TOKENS: TOKEN,
          FEDREPORT_CODEC_SERVER_ALLOWED_ORIGINS: 'http://ui:8080/path',
        }),
      ),
    ).toEqual([
      {
        field: 'FEDREPORT_CODEC_SERVER_ALLOWED_ORIGINS',
        reason: 'each entry must be an origin: scheme://host[:port], no path',
      },
    ]);
  });
});
