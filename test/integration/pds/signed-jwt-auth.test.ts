/**
 * Application-restricted authentication for real: the client signs an RS512 JWT, the double's /oauth2/token checks
 * it against the public key and issues a bearer token that Patient reads then require.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createPdsClient } from '../../../integrations/pds/client';
import type { PdsConfig, SignedJwtAuthConfig } from '../../../integrations/pds/config';
import { PdsAccessDeniedError, PdsAuthenticationError, PdsError } from '../../../integrations/pds/errors';
import { SYNTHETIC_PATIENTS } from '../../../simulators/pds/patients';
import { startPdsDouble, type PdsDouble } from '../../../simulators/pds/server';

const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const { privateKey: strangerKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });

let keyDir: string;
let double: PdsDouble;

function writeKey(name: string, key: crypto.KeyObject, format: 'pkcs8' | 'pkcs1'): string {
  const file = path.join(keyDir, name);
  fs.writeFileSync(file, key.export({ type: format, format: 'pem' }), { mode: 0o600 });
  return file;
}

function config(target: PdsDouble, auth: Partial<SignedJwtAuthConfig> = {}): PdsConfig {
  return {
    baseUrl: target.url,
    timeoutMs: 2_000,
    auth: {
      mode: 'signed-jwt',
      apiKey: 'test-api-key',
      keyId: 'test-1',
      privateKeyFile: path.join(keyDir, 'private.pem'),
      tokenUrl: target.tokenUrl,
      jwtLifetimeSeconds: 300,
      ...auth,
    },
  };
}

const fresh = () => ({ requestId: crypto.randomUUID() });
const tokenRequests = (d: PdsDouble) => d.received.filter((r) => r.path === '/oauth2/token');
const decode = (segment: string) =>
  JSON.parse(Buffer.from(segment, 'base64url').toString('utf8')) as Record<string, unknown>;

beforeAll(async () => {
  keyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fedreport-pds-keys-'));
  writeKey('private.pem', privateKey, 'pkcs8');
  double = await startPdsDouble({ tokenPublicKey: publicKey });
});
afterAll(async () => {
  await double.close();
  fs.rmSync(keyDir, { recursive: true, force: true });
});

describe('signed JWT client assertion', () => {
  it('obtains a token and reads the patient with it', async () => {
    const client = createPdsClient(config(double));
    expect((await client.getPatient(SYNTHETIC_PATIENTS.atY90002, fresh())).registeredPracticeOds).toBe(
      'Y90002',
    );
    expect(double.received.at(-1)!.headers.authorization).toMatch(/^Bearer \S+$/);
  });

  it('JWT header and claims: RS512 + kid; iss = sub = API key, aud = token URL, UUID jti, exp within 5 minutes', async () => {
    const before = tokenRequests(double).length;
    const startedSeconds = Math.floor(Date.now() / 1000);
    await createPdsClient(config(double)).getPatient(SYNTHETIC_PATIENTS.atY90002, fresh());
    const request = tokenRequests(double).slice(before)[0]!;
    expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const form = new URLSearchParams(request.body);
    expect(form.get('grant_type')).toBe('client_credentials');
    expect(form.get('client_assertion_type')).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    const [header, claims, signature] = form.get('client_assertion')!.split('.') as [string, string, string];
    expect(decode(header)).toEqual({ alg: 'RS512', typ: 'JWT', kid: 'test-1' });
    const payload = decode(claims);
    expect(payload).toMatchObject({ iss: 'test-api-key', sub: 'test-api-key', aud: double.tokenUrl });
    expect(payload.jti).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(payload.exp).toBeGreaterThan(startedSeconds);
    expect(payload.exp).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + 300);
    expect(
      crypto.verify(
        'sha512',
        Buffer.from(`${header}.${claims}`),
        publicKey,
        Buffer.from(signature, 'base64url'),
      ),
    ).toBe(true);
  });

  it('a PKCS#1 key file works as well as PKCS#8', async () => {
    const client = createPdsClient(
      config(double, { privateKeyFile: writeKey('private-pkcs1.pem', privateKey, 'pkcs1') }),
    );
    expect((await client.getPatient(SYNTHETIC_PATIENTS.atY90003, fresh())).registeredPracticeOds).toBe(
      'Y90003',
    );
  });

  it('each token request carries a new jti', async () => {
    const before = tokenRequests(double).length;
    await createPdsClient(config(double)).getPatient(SYNTHETIC_PATIENTS.atY90002, fresh());
    await createPdsClient(config(double)).getPatient(SYNTHETIC_PATIENTS.atY90002, fresh());
    const jtis = tokenRequests(double)
      .slice(before)
      .map((r) => decode(new URLSearchParams(r.body).get('client_assertion')!.split('.')[1]!).jti);
    expect(new Set(jtis).size).toBe(2);
  });
});

describe('token cache', () => {
  it('reuses the token across lookups, including concurrent ones', async () => {
    const client = createPdsClient(config(double));
    const before = tokenRequests(double).length;
    await Promise.all([1, 2, 3].map(() => client.getPatient(SYNTHETIC_PATIENTS.atY90002, fresh())));
    await client.getPatient(SYNTHETIC_PATIENTS.atY90003, fresh());
    expect(tokenRequests(double).length - before).toBe(1);
  });

  it('fetches a new token once the cached one is about to expire', async () => {
    const shortLived = await startPdsDouble({ tokenPublicKey: publicKey, tokenLifetimeSeconds: 4 });
    try {
      const client = createPdsClient(config(shortLived));
      await client.getPatient(SYNTHETIC_PATIENTS.atY90002, fresh());
      await client.getPatient(SYNTHETIC_PATIENTS.atY90002, fresh());
      expect(tokenRequests(shortLived)).toHaveLength(1);
      // Refreshed half-way through a 4 s lifetime (the margin is min(30 s, half the lifetime)).
      await new Promise((resolve) => setTimeout(resolve, 2_100));
      await client.getPatient(SYNTHETIC_PATIENTS.atY90002, fresh());
      expect(tokenRequests(shortLived)).toHaveLength(2);
    } finally {
      await shortLived.close();
    }
  });

  it('a 401 on the bearer token is retryable and drops the cached token', async () => {
    // Tokens come from `double`, but `other` only accepts its own: every read is 401.
    const other = await startPdsDouble({ tokenPublicKey: publicKey });
    try {
      const client = createPdsClient({ ...config(double), baseUrl: other.url });
      const before = tokenRequests(double).length;
      for (let attempt = 0; attempt < 2; attempt++) {
        const error = await client.getPatient(SYNTHETIC_PATIENTS.atY90002, fresh()).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(PdsAccessDeniedError);
        expect(error).toMatchObject({ retryable: true, status: 401, spineCode: 'ACCESS_DENIED' });
      }
      expect(tokenRequests(double).length - before).toBe(2);
    } finally {
      await other.close();
    }
  });
});

describe('rejected assertions are permanent PdsAuthenticationErrors', () => {
  async function authFailure(auth: Partial<SignedJwtAuthConfig>): Promise<PdsError> {
    const error: unknown = await createPdsClient(config(double, auth))
      .getPatient(SYNTHETIC_PATIENTS.atY90002, fresh())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PdsAuthenticationError);
    return error as PdsError;
  }

  it('signed with a key the double does not know: 401, signature failure', async () => {
    const error = await authFailure({ privateKeyFile: writeKey('stranger.pem', strangerKey, 'pkcs8') });
    expect(error).toMatchObject({ retryable: false, status: 401 });
    expect(error.message).toMatch(/signature verification failed/);
  });

  it("aud differs from the token endpoint's URL: 401, aud named", async () => {
    // Same endpoint, but the URL (and so aud) carries a query string: it must match exactly.
    const error = await authFailure({ tokenUrl: `${double.tokenUrl}?tenant=1` });
    expect(error).toMatchObject({ retryable: false, status: 401 });
    expect(error.message).toMatch(/'aud'/);
  });

  it('the double refuses an assertion that lives longer than 5 minutes', async () => {
    const error = await authFailure({ jwtLifetimeSeconds: 600 });
    expect(error).toMatchObject({ retryable: false, status: 400 });
    expect(error.message).toMatch(/more than 5 minutes/);
  });

  it('a Patient read without any token is a permanent 401 when no token was used', async () => {
    const error: unknown = await createPdsClient({
      baseUrl: double.url,
      timeoutMs: 2_000,
      auth: { mode: 'none' },
    })
      .getPatient(SYNTHETIC_PATIENTS.atY90002, fresh())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PdsAccessDeniedError);
    expect(error).toMatchObject({ retryable: false, status: 401 });
  });

  it('a non-RSA key fails when the client is created, not at the first lookup', () => {
    const { privateKey: ecKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(() =>
      createPdsClient(config(double, { privateKeyFile: writeKey('ec.pem', ecKey, 'pkcs8') })),
    ).toThrow(/must be an RSA key/);
  });
});
