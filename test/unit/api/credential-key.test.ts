/**
 * What a request counts against in the rate limit: its credential, never the raw token, and the address only when
 * there is no credential to go by.
 */
import type { FastifyRequest } from 'fastify';
import { credentialKey } from '../../../client/api/rate-limit';

const TOKEN = 'a-token-of-sixteen+';

function request(fields: { authorization?: string; fingerprint?: string; ip?: string }): FastifyRequest {
  const socket = fields.fingerprint
    ? { encrypted: true, getPeerCertificate: () => ({ fingerprint256: fields.fingerprint }) }
    : {};
  return {
    headers: fields.authorization ? { authorization: fields.authorization } : {},
    raw: { socket },
    ip: fields.ip ?? '192.0.2.1',
  } as unknown as FastifyRequest;
}

describe('rate-limit credential key', () => {
  it('is a digest of the bearer token, the same from any address, without the token', () => {
    const key = credentialKey(request({ authorization: `Bearer ${TOKEN}`, ip: '192.0.2.1' }));
    expect(key).toMatch(/^token:[0-9a-f]{64}$/);
    expect(key).not.toContain(TOKEN);
    expect(credentialKey(request({ authorization: `Bearer ${TOKEN}`, ip: '198.51.100.7' }))).toBe(key);
    expect(credentialKey(request({ authorization: `Bearer ${TOKEN}2` }))).not.toBe(key);
  });

  it("is the client certificate's fingerprint under mutual TLS", () => {
    expect(credentialKey(request({ fingerprint: 'AB:CD:EF' }))).toBe('certificate:AB:CD:EF');
  });

  it('falls back to the address when the request carries no credential', () => {
    expect(credentialKey(request({ ip: '203.0.113.9' }))).toBe('address:203.0.113.9');
  });
});
