/**
 * The client assertion of NHS application-restricted authentication: a JWT signed with RS512 (RSASSA-PKCS1-v1_5 +
 * SHA-512). node:crypto signs it directly; docs/pds.md says why this is not done with `jose`.
 */
import crypto, { type KeyObject } from 'node:crypto';

export interface ClientAssertionClaims {
  /** The application's API key: both `iss` and `sub`. */
  apiKey: string;
  keyId: string;
  /** The token endpoint URL, which must match `aud` exactly. */
  tokenUrl: string;
  lifetimeSeconds: number;
  nowMs: number;
}

/** Loads a PEM RSA private key (PKCS#8 or PKCS#1); anything else fails at start-up, not at the first lookup. */
export function loadRsaPrivateKey(pem: string | Buffer): KeyObject {
  const key = crypto.createPrivateKey(pem);
  if (key.asymmetricKeyType !== 'rsa')
    throw new Error(
      `the PDS signing key must be an RSA key, got ${key.asymmetricKeyType ?? 'a symmetric key'}`,
    );
  return key;
}

export function signClientAssertion(privateKey: KeyObject, claims: ClientAssertionClaims): string {
  const header = { alg: 'RS512', typ: 'JWT', kid: claims.keyId };
  const payload = {
    iss: claims.apiKey,
    sub: claims.apiKey,
    aud: claims.tokenUrl,
    jti: crypto.randomUUID(),
    exp: Math.floor(claims.nowMs / 1000) + claims.lifetimeSeconds,
  };
  const signingInput = `${base64url(header)}.${base64url(payload)}`;
  const signature = crypto.sign('sha512', Buffer.from(signingInput), privateKey);
  return `${signingInput}.${signature.toString('base64url')}`;
}

function base64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
