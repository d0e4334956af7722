/**
 * PDS client configuration from the environment (documented in docs/pds.md). The sandbox and the project's PDS
 * double take no authentication; INT and production need application-restricted signed-JWT authentication.
 */
import { z } from 'zod';
import { ValidationError, fieldIssuesFromZod } from '../../domain/validation-error';

/** NHS API platform rule: the signed JWT may expire at most five minutes after it was made. */
export const MAX_JWT_LIFETIME_SECONDS = 300;

const text = z.string().trim().min(1, 'must not be empty');

const commonSchema = z.object({
  PDS_BASE_URL: z.string().url('must be the PDS FHIR R4 base URL (…/personal-demographics/FHIR/R4)'),
  PDS_TIMEOUT_MS: z.coerce
    .number()
    .int('must be a whole number of milliseconds')
    .min(100)
    .max(120_000)
    .default(10_000),
});

const envSchema = z.discriminatedUnion('PDS_AUTH', [
  commonSchema.extend({ PDS_AUTH: z.literal('none') }),
  commonSchema.extend({
    PDS_AUTH: z.literal('signed-jwt'),
    PDS_API_KEY: text,
    PDS_KEY_ID: text,
    PDS_PRIVATE_KEY_FILE: text,
    PDS_TOKEN_URL: z.string().url('must be the OAuth token URL (…/oauth2/token)'),
    PDS_JWT_LIFETIME_SECONDS: z.coerce
      .number()
      .int('must be a whole number of seconds')
      .min(30)
      .max(MAX_JWT_LIFETIME_SECONDS)
      .default(MAX_JWT_LIFETIME_SECONDS),
  }),
]);

export interface SignedJwtAuthConfig {
  mode: 'signed-jwt';
  /** The application's API key: the JWT's `iss` and `sub`. */
  apiKey: string;
  /** `kid` of the public key registered with the application. */
  keyId: string;
  /** PEM file with the RSA private key (PKCS#8 or PKCS#1). */
  privateKeyFile: string;
  /** The JWT's `aud`; must match the token endpoint exactly. */
  tokenUrl: string;
  jwtLifetimeSeconds: number;
}

export type PdsAuthConfig = { mode: 'none' } | SignedJwtAuthConfig;

export interface PdsConfig {
  /** FHIR R4 base URL without a trailing slash. */
  baseUrl: string;
  timeoutMs: number;
  auth: PdsAuthConfig;
}

/** Reads PDS_* variables; throws ValidationError naming each variable and reason. Empty variables count as unset. */
export function pdsConfigFromEnv(env: NodeJS.ProcessEnv = process.env): PdsConfig {
  const present = Object.fromEntries(
    Object.entries(env).filter(([key, value]) => key.startsWith('PDS_') && value !== ''),
  );
  const parsed = envSchema.safeParse({ PDS_AUTH: 'none', ...present });
  if (!parsed.success)
    throw new ValidationError('PDS configuration (environment)', fieldIssuesFromZod(parsed.error));
  const e = parsed.data;
  const auth: PdsAuthConfig =
    e.PDS_AUTH === 'signed-jwt'
      ? {
          mode: 'signed-jwt',
          apiKey: e.PDS_API_KEY,
          keyId: e.PDS_KEY_ID,
          privateKeyFile: e.PDS_PRIVATE_KEY_FILE,
          tokenUrl: e.PDS_TOKEN_URL,
          jwtLifetimeSeconds: e.PDS_JWT_LIFETIME_SECONDS,
        }
      : { mode: 'none' };
  return { baseUrl: e.PDS_BASE_URL.replace(/\/+$/, ''), timeoutMs: e.PDS_TIMEOUT_MS, auth };
}
