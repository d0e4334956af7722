/**
 * Where Temporal is and how to reach it, from the environment, for every process (worker, API, CLI, codec server
 * tools). Fields are named after their environment variables so a rejection names the variable to fix.
 *
 * | variable | default | meaning |
 * |---|---|---|
 * | FEDREPORT_TEMPORAL_ADDRESS | 127.0.0.1:7233 | frontend host:port |
 * | FEDREPORT_TEMPORAL_NAMESPACE | default | namespace |
 * | FEDREPORT_TEMPORAL_TLS | false (true when any TLS file or the API key is set) | TLS to the frontend |
 * | FEDREPORT_TEMPORAL_TLS_CA_FILE | system roots | PEM CA that signed the server certificate |
 * | FEDREPORT_TEMPORAL_TLS_CERT_FILE / _KEY_FILE | — | client certificate and key (mutual TLS, e.g. Temporal Cloud) |
 * | FEDREPORT_TEMPORAL_TLS_SERVER_NAME | host of the address | SNI / certificate name override |
 * | FEDREPORT_TEMPORAL_API_KEY | — | API key authentication (Temporal Cloud) |
 */
import fs from 'node:fs';
import { Client, Connection, type ConnectionOptions, type TLSConfig } from '@temporalio/client';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry/lib/client';
import { z } from 'zod';
import { ValidationError, fieldIssuesFromZod } from '../domain/validation-error';
import { loadCodecKeyring, type CodecKeyring } from './codec-keys';
import { buildDataConverter } from './data-converter';
import { booleanText, optionalText } from './env-fields';
import { readSecretFile } from './secret-file';

const temporalEnvSchema = z
  .object({
    FEDREPORT_TEMPORAL_ADDRESS: z
      .string()
      .trim()
      .regex(
        /^[A-Za-z0-9.-]+:\d{1,5}$|^\[[0-9A-Fa-f:]+\]:\d{1,5}$/,
        'must be host:port (e.g. 127.0.0.1:7233)',
      )
      .default('127.0.0.1:7233'),
    FEDREPORT_TEMPORAL_NAMESPACE: z.string().trim().min(1, 'must not be empty').default('default'),
    FEDREPORT_TEMPORAL_TLS: booleanText,
    FEDREPORT_TEMPORAL_TLS_CA_FILE: optionalText,
    FEDREPORT_TEMPORAL_TLS_CERT_FILE: optionalText,
    FEDREPORT_TEMPORAL_TLS_KEY_FILE: optionalText,
    FEDREPORT_TEMPORAL_TLS_SERVER_NAME: optionalText,
    FEDREPORT_TEMPORAL_API_KEY: optionalText,
  })
  .superRefine((env, ctx) => {
    if (
      (env.FEDREPORT_TEMPORAL_TLS_CERT_FILE === undefined) !==
      (env.FEDREPORT_TEMPORAL_TLS_KEY_FILE === undefined)
    ) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['FEDREPORT_TEMPORAL_TLS_CERT_FILE'],
        message: 'goes together with FEDREPORT_TEMPORAL_TLS_KEY_FILE (set both or neither)',
      });
    }
    const tlsMaterial =
      env.FEDREPORT_TEMPORAL_TLS_CA_FILE ??
      env.FEDREPORT_TEMPORAL_TLS_CERT_FILE ??
      env.FEDREPORT_TEMPORAL_API_KEY;
    if (env.FEDREPORT_TEMPORAL_TLS === false && tlsMaterial !== undefined) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['FEDREPORT_TEMPORAL_TLS'],
        message: 'is false, but TLS files or an API key are set (an API key must never travel in plaintext)',
      });
    }
  });

export interface TemporalConnectionConfig {
  address: string;
  namespace: string;
  tls?: { caFile?: string; certFile?: string; keyFile?: string; serverName?: string };
  apiKey?: string;
}

export function temporalConnectionConfigFromEnv(
  env: NodeJS.ProcessEnv = process.env,
): TemporalConnectionConfig {
  const result = temporalEnvSchema.safeParse(env);
  if (!result.success)
    throw new ValidationError('Temporal connection settings', fieldIssuesFromZod(result.error));
  const e = result.data;
  const tlsWanted =
    e.FEDREPORT_TEMPORAL_TLS ??
    [e.FEDREPORT_TEMPORAL_TLS_CA_FILE, e.FEDREPORT_TEMPORAL_TLS_CERT_FILE, e.FEDREPORT_TEMPORAL_API_KEY].some(
      (v) => v !== undefined,
    );
  return {
    address: e.FEDREPORT_TEMPORAL_ADDRESS,
    namespace: e.FEDREPORT_TEMPORAL_NAMESPACE,
    ...(tlsWanted && {
      tls: {
        caFile: e.FEDREPORT_TEMPORAL_TLS_CA_FILE,
        certFile: e.FEDREPORT_TEMPORAL_TLS_CERT_FILE,
        keyFile: e.FEDREPORT_TEMPORAL_TLS_KEY_FILE,
        serverName: e.FEDREPORT_TEMPORAL_TLS_SERVER_NAME,
      },
    }),
    ...(e.FEDREPORT_TEMPORAL_API_KEY !== undefined && { apiKey: e.FEDREPORT_TEMPORAL_API_KEY }),
  };
}

/** Options shared by `Connection.connect` (clients) and `NativeConnection.connect` (workers); reads the TLS files. */
export function temporalConnectionOptions(
  config: TemporalConnectionConfig,
): Pick<ConnectionOptions, 'address' | 'tls'> & { apiKey?: string } {
  return {
    address: config.address,
    ...(config.tls && { tls: tlsConfig(config.tls) }),
    ...(config.apiKey !== undefined && { apiKey: config.apiKey }),
  };
}

function tlsConfig(tls: NonNullable<TemporalConnectionConfig['tls']>): TLSConfig {
  return {
    ...(tls.serverName && { serverNameOverride: tls.serverName }),
    ...(tls.caFile && { serverRootCACertificate: readPem(tls.caFile, 'FEDREPORT_TEMPORAL_TLS_CA_FILE') }),
    ...(tls.certFile &&
      tls.keyFile && {
        clientCertPair: {
          crt: readPem(tls.certFile, 'FEDREPORT_TEMPORAL_TLS_CERT_FILE'),
          key: readSecretFile(tls.keyFile, 'FEDREPORT_TEMPORAL_TLS_KEY_FILE'),
        },
      }),
  };
}

function readPem(file: string, variable: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (error) {
    throw new Error(`cannot read ${file} (${variable}): ${(error as Error).message}`);
  }
}

export interface ConnectClientOptions {
  /** Where the settings and keys are read from; `process.env` by default. */
  env?: NodeJS.ProcessEnv;
  /** Codec keys; loaded from `env` when omitted. */
  keyring?: CodecKeyring;
  /** How long to wait for the frontend; the SDK's default (10 s) otherwise. */
  connectTimeoutMs?: number;
  /**
   * Connect on first use instead of now: for servers that must start (and report not-ready) while Temporal is still
   * coming up, as in docker compose or a rolling restart.
   */
  lazy?: boolean;
  /** Propagate the active trace into the workflows it starts and signals (common/tracing.ts). */
  tracing?: boolean;
}

/** A Temporal client that encrypts and decrypts with the codec. Close it with `client.connection.close()`. */
export async function connectClient(options: ConnectClientOptions = {}): Promise<Client> {
  const env = options.env ?? process.env;
  const config = temporalConnectionConfigFromEnv(env);
  const keyring = options.keyring ?? loadCodecKeyring(env);
  const connectionOptions = {
    ...temporalConnectionOptions(config),
    ...(options.connectTimeoutMs !== undefined && { connectTimeout: options.connectTimeoutMs }),
  };
  const connection = options.lazy
    ? Connection.lazy(connectionOptions)
    : await Connection.connect(connectionOptions);
  return new Client({
    connection,
    namespace: config.namespace,
    dataConverter: buildDataConverter(keyring),
    ...(options.tracing && { interceptors: { workflow: [new OpenTelemetryWorkflowClientInterceptor()] } }),
  });
}
