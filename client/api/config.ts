/**
 * The API process's settings, from environment variables (documented in docs/api.md). Temporal and codec-key
 * settings are common to every process: see common/temporal-connection.ts and common/codec-keys.ts.
 *
 * | variable | default | meaning |
 * |---|---|---|
 * | FEDREPORT_API_HOST | 127.0.0.1 | listen address (0.0.0.0 in a container) |
 * | FEDREPORT_API_PORT | 8090 | listen port |
 * | FEDREPORT_API_AUTH | bearer | `bearer` (tokens) or `mtls` (client certificates) |
 * | FEDREPORT_API_CREDENTIALS_FILE | — | JSON: each token or certificate and the practices it acts for (credentials.ts) |
 * | FEDREPORT_API_TOKENS | — | instead of the file: comma-separated tokens (≥ 16 characters) acting for every practice |
 * | FEDREPORT_API_TLS_CERT_FILE / _KEY_FILE | — | PEM server certificate and key: serve HTTPS |
 * | FEDREPORT_API_TLS_CLIENT_CA_FILE | — | PEM CA of accepted client certificates; required for mtls |
 * | FEDREPORT_API_TLS_CRL_FILE | — | PEM certificate revocation list(s) of the client CA (mtls) |
 * | FEDREPORT_API_BODY_LIMIT_BYTES | 5 MiB of base64 attachments + 2 × the snapshot budget | largest accepted request body |
 * | FEDREPORT_API_MAX_SNAPSHOT_BYTES | 1572864 | largest snapshot, encoded as Temporal stores it |
 * | FEDREPORT_API_TEMPORAL_TIMEOUT_MS | 10000 | bound on each Temporal call of a request |
 * | FEDREPORT_API_HEADERS_TIMEOUT_MS | 10000 | time for a request's headers to arrive |
 * | FEDREPORT_API_REQUEST_TIMEOUT_MS | 60000 | time for a whole request, body included, to arrive |
 * | FEDREPORT_API_KEEP_ALIVE_TIMEOUT_MS | 72000 | an idle keep-alive connection is closed after this |
 * | FEDREPORT_API_IDLE_TIMEOUT_MS | 120000 | a socket with no traffic either way is destroyed after this |
 * | FEDREPORT_API_RATE_LIMIT_MAX | 600 | requests per credential and window |
 * | FEDREPORT_API_RATE_LIMIT_WINDOW_MS | 60000 | the rate limit's window |
 * | FEDREPORT_LOG_LEVEL | info | pino level |
 */
import fs from 'node:fs';
import type { Level } from 'pino';
import { z } from 'zod';
import { integerText, logLevelText, optionalText, portText, tokenListText } from '../../common/env-fields';
import { ValidationError, fieldIssuesFromZod } from '../../domain/validation-error';
import { readSecretFile } from '../../common/secret-file';
import type { ApiAuth } from './auth';
import { loadCredentialsFile } from './credentials';
import { DEFAULT_MAX_SNAPSHOT_BYTES } from '../encounters';
import { MAX_ATTACHMENT_BYTES } from '../../domain/snapshot';
import { DEFAULT_API_RATE_LIMIT, type ApiRateLimit } from './rate-limit';
import type { ApiTls } from './server';
import { DEFAULT_API_TIMEOUTS, type ApiTimeouts } from './timeouts';

/** Temporal's gRPC messages are 4 MiB at most by default: a larger budget could never be met. */
const MAX_SNAPSHOT_BUDGET_BYTES = 4 * 1024 * 1024;

/** The most attachments a body may carry, base64: ITK3's 5 MiB once decoded (domain/snapshot.ts). */
const MAX_ATTACHMENTS_BASE64_BYTES = Math.ceil(MAX_ATTACHMENT_BYTES / 3) * 4;

/**
 * The body limit that goes with a snapshot budget (docs/api.md, Configuration): the attachments, which go to the
 * archive and so not into the budget, plus twice the budget, for indentation and JSON escapes. A larger body is
 * refused before it is parsed instead of after it is encoded.
 */
export const defaultBodyLimitBytes = (maxSnapshotBytes: number): number =>
  MAX_ATTACHMENTS_BASE64_BYTES + 2 * maxSnapshotBytes;

const apiEnvSchema = z
  .object({
    FEDREPORT_API_HOST: z.string().trim().min(1, 'must not be empty').default('127.0.0.1'),
    FEDREPORT_API_PORT: portText.default('8090'),
    FEDREPORT_API_AUTH: z.enum(['bearer', 'mtls']).default('bearer'),
    FEDREPORT_API_CREDENTIALS_FILE: optionalText,
    FEDREPORT_API_TOKENS: tokenListText,
    FEDREPORT_API_TLS_CERT_FILE: optionalText,
    FEDREPORT_API_TLS_KEY_FILE: optionalText,
    FEDREPORT_API_TLS_CLIENT_CA_FILE: optionalText,
    FEDREPORT_API_TLS_CRL_FILE: optionalText,
    FEDREPORT_API_BODY_LIMIT_BYTES: integerText(1024, 512 * 1024 * 1024).optional(),
    FEDREPORT_API_MAX_SNAPSHOT_BYTES: integerText(64 * 1024, MAX_SNAPSHOT_BUDGET_BYTES).default(
      String(DEFAULT_MAX_SNAPSHOT_BYTES),
    ),
    FEDREPORT_API_TEMPORAL_TIMEOUT_MS: integerText(100, 300_000).default('10000'),
    FEDREPORT_API_HEADERS_TIMEOUT_MS: integerText(100, 600_000).default(
      String(DEFAULT_API_TIMEOUTS.headersMs),
    ),
    FEDREPORT_API_REQUEST_TIMEOUT_MS: integerText(100, 3_600_000).default(
      String(DEFAULT_API_TIMEOUTS.requestMs),
    ),
    FEDREPORT_API_KEEP_ALIVE_TIMEOUT_MS: integerText(100, 600_000).default(
      String(DEFAULT_API_TIMEOUTS.keepAliveMs),
    ),
    FEDREPORT_API_IDLE_TIMEOUT_MS: integerText(100, 3_600_000).default(String(DEFAULT_API_TIMEOUTS.idleMs)),
    FEDREPORT_API_RATE_LIMIT_MAX: integerText(1, 1_000_000).default(String(DEFAULT_API_RATE_LIMIT.max)),
    FEDREPORT_API_RATE_LIMIT_WINDOW_MS: integerText(1_000, 3_600_000).default(
      String(DEFAULT_API_RATE_LIMIT.windowMs),
    ),
    FEDREPORT_LOG_LEVEL: logLevelText,
  })
  .superRefine((env, ctx) => {
    const issue = (path: string, message: string): void =>
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: [path], message });
    const bearer = env.FEDREPORT_API_AUTH === 'bearer';
    const tokensListed = env.FEDREPORT_API_TOKENS?.length ?? 0;
    if (bearer && !tokensListed && !env.FEDREPORT_API_CREDENTIALS_FILE) {
      issue(
        'FEDREPORT_API_CREDENTIALS_FILE',
        'is required when FEDREPORT_API_AUTH is bearer (or FEDREPORT_API_TOKENS)',
      );
    }
    if (tokensListed && env.FEDREPORT_API_CREDENTIALS_FILE) {
      issue(
        'FEDREPORT_API_TOKENS',
        'must be unset when FEDREPORT_API_CREDENTIALS_FILE is set (list tokens there)',
      );
    }
    if (!bearer && tokensListed) {
      issue('FEDREPORT_API_TOKENS', 'must be unset when FEDREPORT_API_AUTH is mtls');
    }
    if (!bearer && !env.FEDREPORT_API_CREDENTIALS_FILE) {
      issue(
        'FEDREPORT_API_CREDENTIALS_FILE',
        'is required when FEDREPORT_API_AUTH is mtls (the certificate allow-list)',
      );
    }
    if (bearer && env.FEDREPORT_API_TLS_CRL_FILE) {
      issue(
        'FEDREPORT_API_TLS_CRL_FILE',
        'applies to client certificates: set FEDREPORT_API_AUTH=mtls or unset it',
      );
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
    if (env.FEDREPORT_API_HEADERS_TIMEOUT_MS > env.FEDREPORT_API_REQUEST_TIMEOUT_MS) {
      issue(
        'FEDREPORT_API_HEADERS_TIMEOUT_MS',
        'must not be above FEDREPORT_API_REQUEST_TIMEOUT_MS (headers are part of the request)',
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
  timeouts: ApiTimeouts;
  rateLimit: ApiRateLimit;
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
  const crl = read(e.FEDREPORT_API_TLS_CRL_FILE, 'FEDREPORT_API_TLS_CRL_FILE');
  return {
    host: e.FEDREPORT_API_HOST,
    port: e.FEDREPORT_API_PORT,
    auth: apiAuth(e.FEDREPORT_API_AUTH, e.FEDREPORT_API_CREDENTIALS_FILE, e.FEDREPORT_API_TOKENS),
    ...(cert && key && { tls: { cert, key, ...(clientCa && { clientCa }), ...(crl && { crl }) } }),
    bodyLimitBytes:
      e.FEDREPORT_API_BODY_LIMIT_BYTES ?? defaultBodyLimitBytes(e.FEDREPORT_API_MAX_SNAPSHOT_BYTES),
    maxSnapshotBytes: e.FEDREPORT_API_MAX_SNAPSHOT_BYTES,
    temporalTimeoutMs: e.FEDREPORT_API_TEMPORAL_TIMEOUT_MS,
    timeouts: {
      headersMs: e.FEDREPORT_API_HEADERS_TIMEOUT_MS,
      requestMs: e.FEDREPORT_API_REQUEST_TIMEOUT_MS,
      keepAliveMs: e.FEDREPORT_API_KEEP_ALIVE_TIMEOUT_MS,
      idleMs: e.FEDREPORT_API_IDLE_TIMEOUT_MS,
    },
    rateLimit: { max: e.FEDREPORT_API_RATE_LIMIT_MAX, windowMs: e.FEDREPORT_API_RATE_LIMIT_WINDOW_MS },
    logLevel: e.FEDREPORT_LOG_LEVEL,
  };
}

/**
 * The credentials of the chosen mode: from the credentials file, or the tokens of FEDREPORT_API_TOKENS, each acting
 * for every practice (the form before credentials were scoped to practices; docs/api.md).
 */
function apiAuth(mode: ApiAuth['mode'], file: string | undefined, tokens: string[] | undefined): ApiAuth {
  const variable = 'FEDREPORT_API_CREDENTIALS_FILE';
  if (file === undefined) {
    const everyPractice = (token: string, index: number) => ({
      name: `FEDREPORT_API_TOKENS[${index}]`,
      token,
      practices: '*' as const,
    });
    return { mode: 'bearer', tokens: (tokens ?? []).map(everyPractice) };
  }
  const credentials = loadCredentialsFile(file, variable);
  const listed = mode === 'bearer' ? credentials.tokens : credentials.certificates;
  if (listed.length === 0) {
    const kind = mode === 'bearer' ? 'tokens' : 'certificates';
    throw new ValidationError('API settings', [
      {
        field: `${variable}: ${kind}`,
        reason: `needs at least one entry when FEDREPORT_API_AUTH is ${mode}`,
      },
    ]);
  }
  return mode === 'bearer'
    ? { mode, tokens: credentials.tokens }
    : { mode, certificates: credentials.certificates };
}
