/**
 * The Temporal UI user's OIDC access token, which the UI forwards as `Authorization: Bearer <token>` to the codec
 * server when `codec.passAccessToken` is on (docs/deployment.md). A token is accepted when its signature verifies
 * against the identity provider's JWKS, its issuer and audience are the configured ones and it has not expired.
 * jose fetches the JWKS on first use and again when a token names a key id it has not seen (key rotation).
 */
import { createRemoteJWKSet, errors, jwtVerify } from 'jose';

export interface AccessTokenSettings {
  issuer: string;
  audience: string;
  jwksUrl: URL;
}

/** Resolves when the token is acceptable; otherwise rejects with an AccessTokenRejected saying why. */
export type AccessTokenVerifier = (token: string) => Promise<void>;

/** Why a token was refused, in words that quote nothing of the token. */
export class AccessTokenRejected extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'AccessTokenRejected';
  }
}

/** Identity providers and servers disagree by a few seconds; more would stretch a token's life. */
const CLOCK_TOLERANCE_SECONDS = 30;
const JWKS_TIMEOUT_MS = 5_000;

export function accessTokenVerifier(settings: AccessTokenSettings): AccessTokenVerifier {
  const keys = createRemoteJWKSet(settings.jwksUrl, { timeoutDuration: JWKS_TIMEOUT_MS });
  return async (token) => {
    try {
      await jwtVerify(token, keys, {
        issuer: settings.issuer,
        audience: settings.audience,
        requiredClaims: ['exp'],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
      });
    } catch (error) {
      throw new AccessTokenRejected(rejectionReason(error));
    }
  };
}

function rejectionReason(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'carries an access token that has expired';
  if (error instanceof errors.JWTClaimValidationFailed)
    return `carries an access token whose "${error.claim}" claim is not the configured one`;
  if (error instanceof errors.JWKSTimeout || !(error instanceof errors.JOSEError))
    return "carries an access token that cannot be checked now: the identity provider's keys are unreachable";
  if (error instanceof errors.JWSSignatureVerificationFailed || error instanceof errors.JWKSNoMatchingKey)
    return "carries an access token whose signature does not verify against the identity provider's keys";
  return 'carries a token this service does not accept';
}
