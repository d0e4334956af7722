/**
 * The codec server with single sign-on: the Temporal UI forwards its user's OIDC access token, which the server
 * verifies against the identity provider's JWKS (here a local HTTP server with a locally generated key pair), its
 * issuer, audience and expiry. Only a valid token decodes; the answers to the others say why and quote no token.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { defaultPayloadConverter } from '@temporalio/common';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey } from 'jose';
import { AccessTokenRejected, accessTokenVerifier } from '../../../client/codec-server/access-token';
import { payloadToJson } from '../../../client/codec-server/payload-json';
import { startCodecServer, type RunningCodecServer } from '../../../client/codec-server/server';
import { createLogger } from '../../../common/logger';
import { AesGcmPayloadCodec } from '../../../common/payload-codec';

const ISSUER = 'https://idp.example.test/realms/fedreport';
const AUDIENCE = 'fedreport-codec';
const KEY_ID = 'idp-key-1';

const codec = new AesGcmPayloadCodec({ activeKeyId: 'k1', keys: new Map([['k1', crypto.randomBytes(32)]]) });
let signingKey: CryptoKey;
let jwks: http.Server;
let server: RunningCodecServer;
const logs: string[] = [];
const presented: string[] = [];

beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  signingKey = pair.privateKey;
  const publicJwk = { ...(await exportJWK(pair.publicKey)), kid: KEY_ID, alg: 'RS256', use: 'sig' };
  jwks = http.createServer((_request, response) => {
    response
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ keys: [publicJwk] }));
  });
  await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
  const { port } = jwks.address() as AddressInfo;
  server = await startCodecServer({
    codec,
    tokens: [],
    accessTokens: accessTokenVerifier({
      issuer: ISSUER,
      audience: AUDIENCE,
      jwksUrl: new URL(`http://127.0.0.1:${port}/protocol/openid-connect/certs`),
    }),
    allowedOrigins: ['http://127.0.0.1:8233'],
    logger: createLogger('codec-access-token-test', 'debug', {
      write: (line: string) => void logs.push(line),
    }),
  });
});

afterAll(async () => {
  await server.close();
  await new Promise((resolve) => jwks.close(resolve));
});

interface TokenShape {
  key?: CryptoKey;
  audience?: string;
  issuer?: string;
  expiresAt?: number;
}

async function accessToken(shape: TokenShape = {}): Promise<string> {
  const token = await new SignJWT({ preferred_username: 'operator' })
    .setProtectedHeader({ alg: 'RS256', kid: KEY_ID })
    .setSubject('operator-1')
    .setIssuer(shape.issuer ?? ISSUER)
    .setAudience(shape.audience ?? AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(shape.expiresAt ?? Math.floor(Date.now() / 1000) + 300)
    .sign(shape.key ?? signingKey);
  presented.push(token);
  return token;
}

async function decode(headers: Record<string, string>): Promise<{ status: number; body: any }> {
  const [encrypted] = await codec.encode([defaultPayloadConverter.toPayload({ nhsNumber: '9990000018' })]);
  const response = await fetch(`${server.url}/decode`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ payloads: [payloadToJson(encrypted!)] }),
  });
  return { status: response.status, body: await response.json() };
}

describe('codec server with the UI user access token', () => {
  it('decodes for a valid access token', async () => {
    const response = await decode({ authorization: `Bearer ${await accessToken()}` });
    expect(response.status).toBe(200);
    const value = JSON.parse(Buffer.from(response.body.payloads[0].data, 'base64').toString('utf8'));
    expect(value).toEqual({ nhsNumber: '9990000018' });
  });

  it.each<[string, () => Promise<TokenShape>, RegExp]>([
    ['an expired token', async () => ({ expiresAt: Math.floor(Date.now() / 1000) - 120 }), /expired/],
    ['a token for another audience', async () => ({ audience: 'another-app' }), /"aud" claim/],
    ['a token from another issuer', async () => ({ issuer: 'https://elsewhere.test' }), /"iss" claim/],
    [
      'a token signed with another key under the same key id',
      async () => ({ key: (await generateKeyPair('RS256')).privateKey }),
      /signature does not verify/,
    ],
  ])('answers 401 for %s, saying why', async (_case, shape, reason) => {
    const token = await accessToken(await shape());
    const response = await decode({ authorization: `Bearer ${token}` });
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ error: 'unauthorized', issues: [{ field: 'Authorization' }] });
    expect(response.body.issues[0].reason).toMatch(reason);
    expect(JSON.stringify(response.body)).not.toContain(token);
    expect(JSON.stringify(response.body)).not.toContain('9990000018');
  });

  it('answers 401 with no token, and for something that is not a token', async () => {
    const none = await decode({});
    expect(none.status).toBe(401);
    expect(none.body.issues[0].reason).toMatch(/Bearer <access token>/);
    const garbage = await decode({ authorization: 'Bearer not-a-jwt-0123456789' });
    expect(garbage.status).toBe(401);
    expect(garbage.body.issues[0].reason).toBe('carries a token this service does not accept');
  });

  it('keeps access tokens and payload contents out of its log', () => {
    const log = logs.join('');
    expect(log).toContain('codec request');
    for (const secret of [...presented, '9990000018']) expect(log).not.toContain(secret);
  });

  it('refuses, saying so, when the identity provider keys cannot be fetched', async () => {
    const unreachable = accessTokenVerifier({
      issuer: ISSUER,
      audience: AUDIENCE,
      jwksUrl: new URL('http://127.0.0.1:1/certs'),
    });
    const error = await unreachable(await accessToken()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AccessTokenRejected);
    expect((error as Error).message).toMatch(/identity provider's keys are unreachable/);
  });
});
