/**
 * Bearer tokens for application-restricted access: a signed JWT is exchanged at the token endpoint
 * (client_credentials + jwt-bearer client assertion) and the token is reused until shortly before it expires.
 */
import { readSecretFile } from '../../common/secret-file';
import { z } from 'zod';
import { PDS_ENV_PREFIX, type SignedJwtAuthConfig } from './config';
import { PdsAuthenticationError, PdsUnexpectedResponseError } from './errors';
import { parseJson, sendWithTimeout, transientErrorFor } from './http';
import { loadRsaPrivateKey, signClientAssertion } from './signed-jwt';

const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  // The NHS token endpoint sends expires_in as a string ("599").
  expires_in: z.coerce.number().positive(),
  token_type: z.string().regex(/^bearer$/i, 'must be Bearer'),
});

const tokenErrorSchema = z.object({ error: z.string().optional(), error_description: z.string().optional() });

export interface AccessTokenProvider {
  /** A bearer token: the cached one while it is fresh, else a new one from the token endpoint. */
  token(): Promise<string>;
  /** Forgets the cached token (PDS answered 401) so the next call signs in afresh. */
  invalidate(): void;
}

interface CachedToken {
  value: string;
  /** When to stop using it: a margin before the real expiry so a token never expires in flight. */
  refreshAtMs: number;
}

export function createAccessTokenProvider(
  config: SignedJwtAuthConfig,
  options: { timeoutMs: number },
): AccessTokenProvider {
  const privateKey = loadRsaPrivateKey(
    readSecretFile(config.privateKeyFile, `${PDS_ENV_PREFIX}PRIVATE_KEY_FILE`),
  );
  let cached: CachedToken | undefined;
  // Concurrent lookups share one exchange instead of each signing in.
  let pending: Promise<CachedToken> | undefined;

  async function exchange(): Promise<CachedToken> {
    const assertion = signClientAssertion(privateKey, {
      apiKey: config.apiKey,
      keyId: config.keyId,
      tokenUrl: config.tokenUrl,
      lifetimeSeconds: config.jwtLifetimeSeconds,
      nowMs: Date.now(),
    });
    const response = await sendWithTimeout(
      config.tokenUrl,
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
          client_assertion: assertion,
        }).toString(),
      },
      options.timeoutMs,
      'the token request',
    );
    const transient = transientErrorFor(response, 'the token request');
    if (transient) throw transient;
    if (response.status !== 200) {
      throw new PdsAuthenticationError(
        `the token endpoint rejected the signed JWT (HTTP ${response.status}${tokenErrorText(response.body)})`,
        {
          status: response.status,
        },
      );
    }
    const parsed = tokenResponseSchema.safeParse(parseJson(response.body));
    if (!parsed.success)
      throw new PdsUnexpectedResponseError('the token endpoint answered 200 without a usable bearer token', {
        status: 200,
      });
    const lifetimeMs = parsed.data.expires_in * 1000;
    const marginMs = Math.min(30_000, lifetimeMs / 2);
    return { value: parsed.data.access_token, refreshAtMs: Date.now() + lifetimeMs - marginMs };
  }

  return {
    async token() {
      if (cached && Date.now() < cached.refreshAtMs) return cached.value;
      pending ??= exchange().finally(() => (pending = undefined));
      cached = await pending;
      return cached.value;
    },
    invalidate() {
      cached = undefined;
    },
  };
}

/** The OAuth error fields say what was wrong ("Invalid 'aud' claim"); they never carry patient data. */
function tokenErrorText(body: string): string {
  const parsed = tokenErrorSchema.safeParse(parseJson(body));
  if (!parsed.success) return '';
  const parts = [parsed.data.error, parsed.data.error_description].filter(Boolean);
  return parts.length ? `: ${parts.join(' - ')}` : '';
}
