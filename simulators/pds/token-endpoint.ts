/**
 * The double's `/oauth2/token`: checks a client assertion the way the NHS API platform describes it (RS512
 * signature against the registered public key, kid, iss = sub, exact aud, unique jti, exp at most five minutes
 * ahead) and issues opaque bearer tokens that the Patient endpoint then requires.
 */
import crypto, { type KeyLike, type KeyObject } from 'node:crypto';
import { z } from 'zod';

const MAX_ASSERTION_LIFETIME_SECONDS = 300;
/** Allowance for clock drift between the client and the double. */
const CLOCK_SKEW_SECONDS = 5;

const headerSchema = z.object({ alg: z.string(), kid: z.string().min(1).optional() });
const claimsSchema = z.object({
  iss: z.string().min(1).optional(),
  sub: z.string().min(1).optional(),
  aud: z.string().optional(),
  jti: z.string().min(1).optional(),
  exp: z.number().optional(),
});

export interface TokenResponse {
  status: number;
  body: object;
}

export interface TokenIssuer {
  /** Answers a token request (form fields already decoded); `tokenUrl` is the `aud` the assertion must carry. */
  exchange(form: URLSearchParams, tokenUrl: string): TokenResponse;
  /** Whether an Authorization header carries a token this issuer gave out and that has not expired. */
  accepts(authorization: string | undefined): boolean;
}

export function createTokenIssuer(options: {
  publicKey: KeyLike;
  tokenLifetimeSeconds: number;
}): TokenIssuer {
  const publicKey: KeyObject =
    options.publicKey instanceof crypto.KeyObject
      ? options.publicKey
      : crypto.createPublicKey(options.publicKey);
  const usedJtis = new Set<string>();
  const issued = new Map<string, number>();

  const rejection = (status: number, error: string, description: string): TokenResponse => ({
    status,
    body: { error, error_description: description },
  });

  return {
    exchange(form, tokenUrl) {
      if (form.get('grant_type') !== 'client_credentials') {
        return rejection(400, 'unsupported_grant_type', "grant_type is missing or not 'client_credentials'");
      }
      if (form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer') {
        return rejection(
          400,
          'invalid_request',
          "client_assertion_type must be 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'",
        );
      }
      const parts = (form.get('client_assertion') ?? '').split('.');
      const [encodedHeader, encodedClaims, signature] = parts;
      if (parts.length !== 3 || !encodedHeader || !encodedClaims || !signature) {
        return rejection(400, 'invalid_request', 'Malformed JWT in client_assertion');
      }
      const header = headerSchema.safeParse(decodeSegment(encodedHeader));
      const claims = claimsSchema.safeParse(decodeSegment(encodedClaims));
      if (!header.success || !claims.success)
        return rejection(400, 'invalid_request', 'Malformed JWT in client_assertion');
      if (header.data.alg !== 'RS512')
        return rejection(
          400,
          'invalid_request',
          "Invalid 'alg' header in JWT - unsupported JWT algorithm - must be 'RS512'",
        );
      if (!header.data.kid) return rejection(400, 'invalid_request', "Missing 'kid' header in JWT");
      const signed = Buffer.from(`${encodedHeader}.${encodedClaims}`);
      if (!crypto.verify('sha512', signed, publicKey, Buffer.from(signature, 'base64url'))) {
        return rejection(401, 'public_key error', 'JWT signature verification failed');
      }
      const { iss, sub, aud, jti, exp } = claims.data;
      if (!iss || iss !== sub)
        return rejection(401, 'invalid_request', "Missing or non-matching 'iss'/'sub' claims in JWT");
      if (aud !== tokenUrl) return rejection(401, 'invalid_request', "Missing or invalid 'aud' claim in JWT");
      if (!jti) return rejection(400, 'invalid_request', "Missing 'jti' claim in JWT");
      if (usedJtis.has(jti)) return rejection(400, 'invalid_request', "Non-unique 'jti' claim in JWT");
      const nowSeconds = Date.now() / 1000;
      if (exp === undefined) return rejection(400, 'invalid_request', "Missing 'exp' claim in JWT");
      if (exp <= nowSeconds - CLOCK_SKEW_SECONDS)
        return rejection(400, 'invalid_request', "Invalid 'exp' claim in JWT - JWT has expired");
      if (exp > nowSeconds + MAX_ASSERTION_LIFETIME_SECONDS + CLOCK_SKEW_SECONDS) {
        return rejection(
          400,
          'invalid_request',
          "Invalid 'exp' claim in JWT - more than 5 minutes in future",
        );
      }
      usedJtis.add(jti);
      const token = crypto.randomBytes(24).toString('base64url');
      issued.set(token, Date.now() + options.tokenLifetimeSeconds * 1000);
      return {
        status: 200,
        // As the NHS platform answers: expires_in and issued_at are strings.
        body: {
          access_token: token,
          expires_in: String(options.tokenLifetimeSeconds),
          token_type: 'Bearer',
          issued_at: String(Date.now()),
        },
      };
    },
    accepts(authorization) {
      const token = /^Bearer (\S+)$/.exec(authorization ?? '')?.[1];
      const expiresAt = token === undefined ? undefined : issued.get(token);
      return expiresAt !== undefined && Date.now() < expiresAt;
    },
  };
}

function decodeSegment(segment: string): unknown {
  try {
    return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}
