/**
 * PDS client configuration from the environment (documented in docs/pds.md). The sandbox and the project's PDS
 * double take no authentication; INT and production need application-restricted signed-JWT authentication.
 */
import { z } from 'zod';
import { ValidationError, fieldIssuesFromZod } from '../../domain/validation-error';
import { outboundUrlSchema } from '../../common/outbound-http';

/** NHS API platform rule: the signed JWT may expire at most five minutes after it was made. */
export const MAX_JWT_LIFETIME_SECONDS = 300;

/**
 * Environment variables are FEDREPORT_PDS_<suffix>. The PDS_<suffix> names of earlier releases still work for one more
 * release, each with a deprecation warning.
 */
export const PDS_ENV_PREFIX = 'FEDREPORT_PDS_';
export const LEGACY_PDS_ENV_PREFIX = 'PDS_';

/** Every setting, by suffix. Only these are read, so FEDREPORT_PDS_PORT (local stack) or PDS_DOUBLE_* never warn. */
export const PDS_ENV_SUFFIXES = [
  'BASE_URL',
  'TIMEOUT_MS',
  'AUTH',
  'API_KEY',
  'KEY_ID',
  'PRIVATE_KEY_FILE',
  'TOKEN_URL',
  'JWT_LIFETIME_SECONDS',
] as const;
type PdsEnvSuffix = (typeof PDS_ENV_SUFFIXES)[number];

/** Receives one message per deprecated variable name in use; messages name variables, never their values. */
export type PdsConfigWarn = (message: string) => void;

/** Default channel: a Node DeprecationWarning (printed on stderr; silenced by --no-deprecation). */
const emitDeprecationWarning: PdsConfigWarn = (message) =>
  process.emitWarning(message, { type: 'DeprecationWarning', code: 'FEDREPORT_DEP_PDS_ENV' });

const text = z.string().trim().min(1, 'must not be empty');

const commonSchema = z.object({
  BASE_URL: outboundUrlSchema('must be the PDS FHIR R4 base URL (…/personal-demographics/FHIR/R4)'),
  TIMEOUT_MS: z.coerce
    .number()
    .int('must be a whole number of milliseconds')
    .min(100)
    .max(120_000)
    .default(10_000),
});

const envSchema = z.discriminatedUnion('AUTH', [
  commonSchema.extend({ AUTH: z.literal('none') }),
  commonSchema.extend({
    AUTH: z.literal('signed-jwt'),
    API_KEY: text,
    KEY_ID: text,
    PRIVATE_KEY_FILE: text,
    TOKEN_URL: outboundUrlSchema('must be the OAuth token URL (…/oauth2/token)'),
    JWT_LIFETIME_SECONDS: z.coerce
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

/**
 * Reads the FEDREPORT_PDS_* variables (or their deprecated PDS_* names, warning once per old name used through `warn`;
 * when both are set the new one wins). Throws ValidationError naming each variable as set and the reason. Empty
 * variables count as unset.
 */
export function pdsConfigFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  warn: PdsConfigWarn = emitDeprecationWarning,
): PdsConfig {
  const input: Partial<Record<PdsEnvSuffix, string>> = {};
  const variableOf: Record<string, string> = {};
  for (const suffix of PDS_ENV_SUFFIXES) {
    const name = PDS_ENV_PREFIX + suffix;
    const legacyName = LEGACY_PDS_ENV_PREFIX + suffix;
    const value = env[name] || undefined;
    const legacyValue = env[legacyName] || undefined;
    variableOf[suffix] = name;
    if (value !== undefined) {
      input[suffix] = value;
      if (legacyValue !== undefined)
        warn(`${legacyName} is deprecated and ignored because ${name} is set; remove it.`);
    } else if (legacyValue !== undefined) {
      input[suffix] = legacyValue;
      variableOf[suffix] = legacyName;
      warn(
        `${legacyName} is deprecated; rename it to ${name} (the PDS_* names will stop working in the next release).`,
      );
    }
  }
  const parsed = envSchema.safeParse({ AUTH: 'none', ...input });
  if (!parsed.success) {
    const issues = fieldIssuesFromZod(parsed.error).map((issue) => ({
      ...issue,
      field: variableOf[issue.field as PdsEnvSuffix] ?? issue.field,
    }));
    throw new ValidationError('PDS configuration (environment)', issues);
  }
  const e = parsed.data;
  const auth: PdsAuthConfig =
    e.AUTH === 'signed-jwt'
      ? {
          mode: 'signed-jwt',
          apiKey: e.API_KEY,
          keyId: e.KEY_ID,
          privateKeyFile: e.PRIVATE_KEY_FILE,
          tokenUrl: e.TOKEN_URL,
          jwtLifetimeSeconds: e.JWT_LIFETIME_SECONDS,
        }
      : { mode: 'none' };
  return { baseUrl: e.BASE_URL.replace(/\/+$/, ''), timeoutMs: e.TIMEOUT_MS, auth };
}
