/**
 * The API process's settings, from environment variables (documented in docs/api.md). Temporal and codec-key
 * settings are common to every process: see common/temporal-connection.ts and common/codec-keys.ts.
 *
 * | variable | default | meaning |
 * |---|---|---|
 * | FEDREPORT_API_HOST | 127.0.0.1 | listen address (0.0.0.0 in a container) |
 * | FEDREPORT_API_PORT | 8090 | listen port |
 * | FEDREPORT_API_AUTH | bearer | `bearer` (tokens) or `mtls` (client certificates) |
 * | FEDREPORT_API_TOKENS | — | comma-separated accepted bearer tokens (≥ 16 characters each); required for bearer |
 * | FEDREPORT_API_TLS_CERT_FILE / _KEY_FILE | — | PEM server certificate and key: serve HTTPS |
 * | FEDREPORT_API_TLS_CLIENT_CA_FILE | — | PEM CA of accepted client certificates; required for mtls |
 * | FEDREPORT_API_BODY_LIMIT_BYTES | 2 × the snapshot budget | largest accepted request body |
 * | FEDREPORT_API_MAX_SNAPSHOT_BYTES | 1572864 | largest snapshot, encoded as Temporal stores it |
 * | FEDREPORT_API_TEMPORAL_TIMEOUT_MS | 10000 | bound on each Temporal call of a request |
 * | FEDREPORT_LOG_LEVEL | info | pino level |
 */
import fs from 'node:fs';
import type { Level } from 'pino';
import { z } from 'zod';
import { integerText, logLevelText, optionalText, portText, tokenListText } from '../../common/env-fields';
import { ValidationError, fieldIssuesFromZod } from '../../domain/validation-error';
import { readSecretFile } from '../../common/secret-file';
import type { ApiAuth } from './auth';
import { DEFAULT_MAX_SNAPSHOT_BYTES } from '../encounters';
import type { ApiTls } from './server';

/** Temporal's gRPC messages are 4 MiB at most by default: a larger budget could never be met. */
const MAX_SNAPSHOT_BUDGET_BYTES = 4 * 1024 * 1024;

/**
 * The body limit that goes with a snapshot budget (docs/api.md, Configuration): twice it leaves room for indentation
 * and JSON escapes, while a larger body is refused before it is parsed instead of after it is encoded.
 */
export const defaultBodyLimitBytes = (maxSnapshotBytes: number): number => 2 * maxSnapshotBytes;

const apiEnvSchema = z
  .object({
    FEDREPORT_API_HOST: z.string().trim().min(1, 'must not be empty').default('127.0.0.1'),
    FEDREPORT_API_PORT: portText.default('8090'),
    FEDREPORT_API_AUTH: z.enum(['bearer', 'mtls']).default('bearer'),
    FEDREPORT_API_TOKENS: tokenListText,
    FEDREPORT_API_TLS_CERT_FILE: optionalText,
    FEDREPORT_API_TLS_KEY_FILE: optionalText,
    FEDREPORT_API_TLS_CLIENT_CA_FILE: optionalText,
    FEDREPORT_API_BODY_LIMIT_BYTES: integerText(1024, 512 * 1024 * 1024).optional(),
    FEDREPORT_API_MAX_SNAPSHOT_BYTES: integerText(64 * 1024, MAX_SNAPSHOT_BUDGET_BYTES).default(
      String(DEFAULT_MAX_SNAPSHOT_BYTES),
    ),
    FEDREPORT_API_TEMPORAL_TIMEOUT_MS: integerText(100, 300_000).default('10000'),
    FEDREPORT_LOG_LEVEL: logLevelText,
  })
  .superRefine((env, ctx) => {
    const issue = (path: string, message: string): void =>
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: [path], message });
    if (env.FEDREPORT_API_AUTH === 'bearer' && !env.FEDREPORT_API_TOKENS?.length) {
      issue('FEDREPORT_API_TOKENS', 'is required when FEDREPORT_API_AUTH is bearer');
    }
    if (env.FEDREPORT_API_AUTH === 'mtls' && !env.FEDREPORT_API_TLS_CLIENT_CA_FILE) {
      issue('FEDREPORT_API_TLS_CLIENT_CA_FILE', 'is required when FEDREPORT_API_AUTH is mtls');
    }
    if (env.FEDREPORT_API_AUTH === 'mtls' && !env.FEDREPORT_API_TLS_CERT_FILE) {
      issue(
        'FEDREPORT_API_TLS_CERT_FILE',
        'is required when FEDREPORT_API_AUTH is mtls (the API must serve HTTPS)',
      );
    }
    if ((env.FEDREPORT_API_TLS_CERT_FILE === undefined) !== (env.FEDREPORT_API_TLS_KEY_FILE === undefined)) {
      issue(
        'FEDREPORT_API_TLS_KEY_FILE',
        'goes together with FEDREPORT_API_TLS_CERT_FILE (set both or neither)',
      );
    }
  });

export interface ApiConfig {
  host: string;
  port: number;
  auth: ApiAuth;
  tls?: ApiTls;
  bodyLimitBytes: number;
  maxSnapshotBytes: number;
  temporalTimeoutMs: number;
  logLevel: Level | 'silent';
}

/** Validates the environment and reads the TLS files; throws ValidationError naming each variable and reason. */
export function apiConfigFromEnv(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  const result = apiEnvSchema.safeParse(env);
  if (!result.success) throw new ValidationError('API settings', fieldIssuesFromZod(result.error));
  const e = result.data;
  const read = (file: string | undefined, variable: string): Buffer | undefined => {
    if (file === undefined) return undefined;
    try {
      return fs.readFileSync(file);
    } catch (error) {
      throw new ValidationError('API settings', [
        { field: variable, reason: `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})` },
      ]);
    }
  };
  const cert = read(e.FEDREPORT_API_TLS_CERT_FILE, 'FEDREPORT_API_TLS_CERT_FILE');
  const key =
    e.FEDREPORT_API_TLS_KEY_FILE &&
    readSecretFile(e.FEDREPORT_API_TLS_KEY_FILE, 'FEDREPORT_API_TLS_KEY_FILE');
  const clientCa = read(e.FEDREPORT_API_TLS_CLIENT_CA_FILE, 'FEDREPORT_API_TLS_CLIENT_CA_FILE');
  return {
    host: e.FEDREPORT_API_HOST,
    port: e.FEDREPORT_API_PORT,
    auth:
      e.FEDREPORT_API_AUTH === 'bearer'
        ? { mode: 'bearer', tokens: e.FEDREPORT_API_TOKENS ?? [] }
        : { mode: 'mtls' },
    ...(cert && key && { tls: { cert, key, ...(clientCa && { clientCa }) } }),
    bodyLimitBytes:
      e.FEDREPORT_API_BODY_LIMIT_BYTES ?? defaultBodyLimitBytes(e.FEDREPORT_API_MAX_SNAPSHOT_BYTES),
    maxSnapshotBytes: e.FEDREPORT_API_MAX_SNAPSHOT_BYTES,
    temporalTimeoutMs: e.FEDREPORT_API_TEMPORAL_TIMEOUT_MS,
    logLevel: e.FEDREPORT_LOG_LEVEL,
  };
}
