import { z } from 'zod';
import { ValidationError } from '../../domain/validation-error';
import { secretSetting } from '../../common/secret-file';

/**
 * Configuration of one MESH mailbox connection: the worker and the operator CLI both read it from the same
 * environment variables (MESH_ENV_VARS), so a CLI diagnosis exercises exactly what the worker uses.
 */
export const meshConfigSchema = z.object({
  /** Environment root, e.g. https://msg.intspineservices.nhs.uk (no trailing /messageexchange). */
  url: z
    .string()
    .url()
    .refine((value) => /^https?:\/\//.test(value), 'must be an http(s) URL')
    .transform((value) => value.replace(/\/+$/, '')),
  /** MESH mailbox ids are upper case; the auth token and the paths must agree. */
  mailbox: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .regex(/^[A-Za-z0-9_'-]+$/, "letters, digits, _ - and ' only")
    .transform((value) => value.toUpperCase()),
  password: z.string().min(1),
  /** The environment's shared secret, the HMAC key of the auth token. */
  sharedKey: z.string().min(1),
  /** Mutual TLS: client certificate + key issued by NHS, and the environment's CA bundle (PEM files). */
  tls: z
    .object({
      certFile: z.string().min(1).optional(),
      keyFile: z.string().min(1).optional(),
      keyPassphrase: z.string().min(1).optional(),
      caFile: z.string().min(1).optional(),
    })
    .refine((tls) => (tls.certFile === undefined) === (tls.keyFile === undefined), {
      message: 'certFile and keyFile go together',
      path: ['certFile'],
    })
    .default({}),
  /** Time allowed to open the TCP(+TLS) connection. */
  connectTimeoutMs: z.number().int().positive().default(10_000),
  /** Time allowed between bytes of the response (headers, then body) before the attempt is abandoned. */
  readTimeoutMs: z.number().int().positive().default(60_000),
  retry: z
    .object({
      /** Attempts per retryable call, the first included. The first POST to /outbox is never retried. */
      maxAttempts: z.number().int().min(1).max(20).default(4),
      /** Exponential backoff: base × 2^(attempt-1), with full jitter, capped at maxDelayMs. */
      baseDelayMs: z.number().int().min(0).default(500),
      maxDelayMs: z.number().int().min(0).default(30_000),
    })
    .default({}),
  /**
   * Ask for gzip-encoded answers (Accept-Encoding: gzip). mesh-sandbox compresses every download on the fly when
   * asked, which on loopback or a fast link costs the server more time than the bytes saved: switch off there.
   */
  acceptGzip: z.boolean().default(true),
  /** Uncompressed bytes per chunk; MESH caps a request at 100 MB. mesh-client's default is 75 MiB. */
  chunkSizeBytes: z
    .number()
    .int()
    .min(1)
    .max(100 * 1000 * 1000)
    .default(75 * 1024 * 1024),
});

export type MeshConfig = z.infer<typeof meshConfigSchema>;
export type MeshConfigInput = z.input<typeof meshConfigSchema>;

/** The environment variable behind each configuration field (documented in docs/mesh.md). */
export const MESH_ENV_VARS = {
  url: 'FEDREPORT_MESH_URL',
  mailbox: 'FEDREPORT_MESH_MAILBOX',
  password: 'FEDREPORT_MESH_PASSWORD',
  sharedKey: 'FEDREPORT_MESH_SHARED_KEY',
  'tls.certFile': 'FEDREPORT_MESH_TLS_CERT_FILE',
  'tls.keyFile': 'FEDREPORT_MESH_TLS_KEY_FILE',
  'tls.keyPassphrase': 'FEDREPORT_MESH_TLS_KEY_PASSPHRASE',
  'tls.caFile': 'FEDREPORT_MESH_TLS_CA_FILE',
  connectTimeoutMs: 'FEDREPORT_MESH_CONNECT_TIMEOUT_MS',
  readTimeoutMs: 'FEDREPORT_MESH_READ_TIMEOUT_MS',
  'retry.maxAttempts': 'FEDREPORT_MESH_RETRY_MAX_ATTEMPTS',
  'retry.baseDelayMs': 'FEDREPORT_MESH_RETRY_BASE_DELAY_MS',
  'retry.maxDelayMs': 'FEDREPORT_MESH_RETRY_MAX_DELAY_MS',
  chunkSizeBytes: 'FEDREPORT_MESH_CHUNK_SIZE_BYTES',
  acceptGzip: 'FEDREPORT_MESH_ACCEPT_GZIP',
} as const;

type ConfigField = keyof typeof MESH_ENV_VARS;
const NUMERIC_FIELDS = new Set<ConfigField>([
  'connectTimeoutMs',
  'readTimeoutMs',
  'retry.maxAttempts',
  'retry.baseDelayMs',
  'retry.maxDelayMs',
  'chunkSizeBytes',
]);

const BOOLEAN_FIELDS = new Set<ConfigField>(['acceptGzip']);

/** Fields that may instead come from an owner-only file named by `<variable>_FILE` (common/secret-file.ts). */
const SECRET_FIELDS = new Set<ConfigField>(['password', 'sharedKey', 'tls.keyPassphrase']);

/** Subject of every MESH configuration ValidationError: `MESH configuration is invalid: <field>: <reason>`. */
export const MESH_CONFIG_SUBJECT = 'MESH configuration';

/** Validates a configuration object (tests, programmatic callers); a ValidationError names each field and reason. */
export function parseMeshConfig(input: MeshConfigInput): MeshConfig {
  return toMeshConfig(input, (field) => field);
}

/**
 * Reads the configuration from FEDREPORT_MESH_* variables (the password, shared key and key passphrase also from
 * `<variable>_FILE`); errors name the variable.
 */
export function meshConfigFromEnv(env: NodeJS.ProcessEnv = process.env): MeshConfig {
  const input: Record<string, unknown> = {};
  for (const [field, variable] of Object.entries(MESH_ENV_VARS) as [ConfigField, string][]) {
    const raw = SECRET_FIELDS.has(field) ? secretSetting(env, variable) : env[variable];
    if (raw === undefined || raw === '') continue;
    const value = coerce(field, raw.trim());
    const [head, leaf] = field.split('.') as [string, string | undefined];
    if (leaf === undefined) input[head] = value;
    else input[head] = { ...(input[head] as Record<string, unknown> | undefined), [leaf]: value };
  }
  return toMeshConfig(input as MeshConfigInput, (field) =>
    field in MESH_ENV_VARS ? `${MESH_ENV_VARS[field as ConfigField]} (${field})` : field,
  );
}

/** Env strings to the schema's types; anything unrecognised stays a string so zod names the field and what it expected. */
function coerce(field: ConfigField, raw: string): unknown {
  if (NUMERIC_FIELDS.has(field)) return /^\d+$/.test(raw) ? Number(raw) : raw;
  if (BOOLEAN_FIELDS.has(field))
    return /^(true|yes|1)$/i.test(raw) ? true : /^(false|no|0)$/i.test(raw) ? false : raw;
  return raw;
}

function toMeshConfig(input: MeshConfigInput, describe: (field: string) => string): MeshConfig {
  const result = meshConfigSchema.safeParse(input);
  if (result.success) return result.data;
  throw new ValidationError(
    MESH_CONFIG_SUBJECT,
    result.error.issues.map((issue) => ({
      field: describe(issue.path.join('.') || '(root)'),
      reason: issue.message,
    })),
  );
}
