/**
 * The codec server process's settings, from environment variables (documented in docs/deployment.md). The codec keys
 * come from the same variables as every other process (common/codec-keys.ts), so all of them read the same payloads.
 *
 * | variable | default | meaning |
 * |---|---|---|
 * | FEDREPORT_CODEC_SERVER_HOST | 127.0.0.1 | listen address; keep it on loopback or behind an authenticating proxy |
 * | FEDREPORT_CODEC_SERVER_PORT | 8091 | listen port |
 * | FEDREPORT_CODEC_SERVER_TOKENS | — | comma-separated static tokens (≥ 16 characters each), header or path segment |
 * | FEDREPORT_CODEC_SERVER_ALLOW_TOKENS_OFF_LOOPBACK | false | allow static tokens on a non-loopback address |
 * | FEDREPORT_CODEC_OIDC_ISSUER | — | the identity provider's issuer (`iss`) of the UI users' access tokens |
 * | FEDREPORT_CODEC_OIDC_AUDIENCE | — | the audience (`aud`) those tokens must name |
 * | FEDREPORT_CODEC_OIDC_JWKS_URL | — | the identity provider's JWKS (https, or http on loopback) |
 * | FEDREPORT_CODEC_SERVER_ALLOWED_ORIGINS | http://127.0.0.1:8233,http://localhost:8233 | Temporal UI origins (CORS) |
 * | FEDREPORT_CODEC_SERVER_BODY_LIMIT_BYTES | 16777216 | largest accepted request body |
 * | FEDREPORT_LOG_LEVEL | info | pino level |
 *
 * At least one of static tokens and the three OIDC settings is required. Static tokens travel in the URL path for a
 * Temporal UI without single sign-on, where browsers, proxies and the UI itself may keep them, so they are for loopback
 * development: on any other address the server refuses to start unless told otherwise.
 */
import type { Level } from 'pino';
import { z } from 'zod';
import {
  booleanText,
  integerText,
  listText,
  logLevelText,
  optionalText,
  portText,
  tokenListText,
} from '../../common/env-fields';
import { ValidationError, fieldIssuesFromZod } from '../../domain/validation-error';
import type { AccessTokenSettings } from './access-token';
import { DEFAULT_CODEC_SERVER_BODY_LIMIT_BYTES } from './server';

const isOrigin = (value: string): boolean => {
  try {
    return new URL(value).origin === value;
  } catch {
    return false;
  }
};

const LOOPBACK_HOSTS = new Set(['localhost', '::1']);
const isLoopback = (host: string): boolean => LOOPBACK_HOSTS.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);

/** The identity provider's keys decide who reads PHI: fetched over TLS unless they are on this machine. */
const jwksUrlText = optionalText.refine((value) => {
  if (value === undefined) return true;
  try {
    const url = new URL(value);
    return (
      url.protocol === 'https:' ||
      (url.protocol === 'http:' && isLoopback(url.hostname.replace(/^\[|\]$/g, '')))
    );
  } catch {
    return false;
  }
}, 'must be an https:// URL (http:// only on a loopback address)');

const OIDC_KEYS = [
  'FEDREPORT_CODEC_OIDC_ISSUER',
  'FEDREPORT_CODEC_OIDC_AUDIENCE',
  'FEDREPORT_CODEC_OIDC_JWKS_URL',
] as const;

const codecServerEnvSchema = z
  .object({
    FEDREPORT_CODEC_SERVER_HOST: z.string().trim().min(1, 'must not be empty').default('127.0.0.1'),
    FEDREPORT_CODEC_SERVER_PORT: portText.default('8091'),
    FEDREPORT_CODEC_SERVER_TOKENS: tokenListText,
    FEDREPORT_CODEC_SERVER_ALLOWED_ORIGINS: listText
      .default('http://127.0.0.1:8233,http://localhost:8233')
      .refine(
        (origins) => (origins ?? []).every(isOrigin),
        'each entry must be an origin: scheme://host[:port], no path',
      ),
    FEDREPORT_CODEC_SERVER_BODY_LIMIT_BYTES: integerText(1024, 512 * 1024 * 1024).default(
      String(DEFAULT_CODEC_SERVER_BODY_LIMIT_BYTES),
    ),
    FEDREPORT_CODEC_SERVER_ALLOW_TOKENS_OFF_LOOPBACK: booleanText,
    FEDREPORT_CODEC_OIDC_ISSUER: optionalText,
    FEDREPORT_CODEC_OIDC_AUDIENCE: optionalText,
    FEDREPORT_CODEC_OIDC_JWKS_URL: jwksUrlText,
    FEDREPORT_LOG_LEVEL: logLevelText,
  })
  .superRefine((env, ctx) => {
    const hasTokens = (env.FEDREPORT_CODEC_SERVER_TOKENS ?? []).length > 0;
    const oidcSet = OIDC_KEYS.filter((key) => env[key] !== undefined);
    if (oidcSet.length > 0 && oidcSet.length < OIDC_KEYS.length) {
      for (const key of OIDC_KEYS.filter((k) => env[k] === undefined))
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: [key],
          message: `is required with ${oidcSet.join(', ')}`,
        });
    } else if (oidcSet.length === 0 && !hasTokens) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['FEDREPORT_CODEC_SERVER_TOKENS'],
        message:
          'is required unless the FEDREPORT_CODEC_OIDC_* settings are set: the codec server decrypts PHI for whoever calls it',
      });
    }
    if (
      hasTokens &&
      !isLoopback(env.FEDREPORT_CODEC_SERVER_HOST) &&
      !env.FEDREPORT_CODEC_SERVER_ALLOW_TOKENS_OFF_LOOPBACK
    )
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['FEDREPORT_CODEC_SERVER_TOKENS'],
        message:
          `are for loopback development (they travel in URL paths), but FEDREPORT_CODEC_SERVER_HOST is ` +
          `${env.FEDREPORT_CODEC_SERVER_HOST}: use the FEDREPORT_CODEC_OIDC_* settings, or set ` +
          'FEDREPORT_CODEC_SERVER_ALLOW_TOKENS_OFF_LOOPBACK=true if only loopback can reach that address',
      });
  });

export interface CodecServerConfig {
  host: string;
  port: number;
  tokens: string[];
  /** The UI users' access tokens are accepted when set. */
  accessTokens?: AccessTokenSettings;
  allowedOrigins: string[];
  bodyLimitBytes: number;
  logLevel: Level | 'silent';
}

export function codecServerConfigFromEnv(env: NodeJS.ProcessEnv = process.env): CodecServerConfig {
  const result = codecServerEnvSchema.safeParse(env);
  if (!result.success) throw new ValidationError('codec server settings', fieldIssuesFromZod(result.error));
  const e = result.data;
  return {
    host: e.FEDREPORT_CODEC_SERVER_HOST,
    port: e.FEDREPORT_CODEC_SERVER_PORT,
    tokens: e.FEDREPORT_CODEC_SERVER_TOKENS ?? [],
    ...(e.FEDREPORT_CODEC_OIDC_JWKS_URL && {
      accessTokens: {
        issuer: e.FEDREPORT_CODEC_OIDC_ISSUER as string,
        audience: e.FEDREPORT_CODEC_OIDC_AUDIENCE as string,
        jwksUrl: new URL(e.FEDREPORT_CODEC_OIDC_JWKS_URL),
      },
    }),
    allowedOrigins: e.FEDREPORT_CODEC_SERVER_ALLOWED_ORIGINS ?? [],
    bodyLimitBytes: e.FEDREPORT_CODEC_SERVER_BODY_LIMIT_BYTES,
    logLevel: e.FEDREPORT_LOG_LEVEL,
  };
}
