/**
 * The codec server process's settings, from environment variables (documented in docs/deployment.md). The codec keys
 * come from the same variables as every other process (common/codec-keys.ts), so all of them read the same payloads.
 *
 * | variable | default | meaning |
 * |---|---|---|
 * | FEDREPORT_CODEC_SERVER_HOST | 127.0.0.1 | listen address; keep it on loopback or behind an authenticating proxy |
 * | FEDREPORT_CODEC_SERVER_PORT | 8091 | listen port |
 * | FEDREPORT_CODEC_SERVER_TOKENS | — (required) | comma-separated accepted tokens (≥ 16 characters each) |
 * | FEDREPORT_CODEC_SERVER_ALLOWED_ORIGINS | http://127.0.0.1:8233,http://localhost:8233 | Temporal UI origins (CORS) |
 * | FEDREPORT_CODEC_SERVER_BODY_LIMIT_BYTES | 16777216 | largest accepted request body |
 * | FEDREPORT_LOG_LEVEL | info | pino level |
 */
import type { Level } from 'pino';
import { z } from 'zod';
import { integerText, listText, logLevelText, portText, tokenListText } from '../../common/env-fields';
import { ValidationError, fieldIssuesFromZod } from '../../domain/validation-error';
import { DEFAULT_CODEC_SERVER_BODY_LIMIT_BYTES } from './server';

const isOrigin = (value: string): boolean => {
  try {
    return new URL(value).origin === value;
  } catch {
    return false;
  }
};

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
    FEDREPORT_LOG_LEVEL: logLevelText,
  })
  .refine((env) => (env.FEDREPORT_CODEC_SERVER_TOKENS ?? []).length > 0, {
    path: ['FEDREPORT_CODEC_SERVER_TOKENS'],
    message: 'is required: the codec server decrypts PHI for whoever calls it',
  });

export interface CodecServerConfig {
  host: string;
  port: number;
  tokens: string[];
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
    allowedOrigins: e.FEDREPORT_CODEC_SERVER_ALLOWED_ORIGINS ?? [],
    bodyLimitBytes: e.FEDREPORT_CODEC_SERVER_BODY_LIMIT_BYTES,
    logLevel: e.FEDREPORT_LOG_LEVEL,
  };
}
