import fs from 'node:fs';
import type { Readable } from 'node:stream';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { Agent, request } from 'undici';
import { tracedCall } from '../../common/traced-call';
import { buildMeshAuthToken } from './auth';
import { ValidationError } from '../../domain/validation-error';
import { MESH_CONFIG_SUBJECT, MESH_ENV_VARS, type MeshConfig } from './config';
import { readSecretFile } from '../../common/secret-file';
import {
  MeshConnectionError,
  MeshResponseError,
  type MeshConnectionFailure,
  type MeshOperation,
} from './errors';

const gunzip = promisify(zlib.gunzip);
/** Below this, inflating on the event loop is several times cheaper than a thread-pool round trip and blocks <1 ms. */
const SYNC_GUNZIP_MAX_BYTES = 256 * 1024;
/** JSON answers and error bodies are small (a full inbox page is ~150 KB); more, sent or inflated, is refused. */
export const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

export const MESH_V2_MEDIA_TYPE = 'application/vnd.mesh.v2+json';

export interface MeshHttpRequest {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT';
  /** Path and query below the environment root, e.g. `/messageexchange/X26ABC1/inbox?max_results=10`. */
  path: string;
  headers?: Record<string, string>;
  body?: Buffer;
  /** For error reports only. */
  messageId?: string;
}

/** A response whose body has not been read: stream it, or read it whole with `buffered()`. */
export interface MeshStreamResponse {
  status: number;
  /** Lower-case names; a repeated header keeps its first value. */
  headers: Record<string, string>;
  /** As sent: still gzip-encoded when `content-encoding` says so. */
  body: Readable;
  buffered(): Promise<MeshHttpResponse>;
}

export interface MeshHttpResponse {
  status: number;
  /** Lower-case names; a repeated header keeps its first value. */
  headers: Record<string, string>;
  /** Decoded: a gzip Content-Encoding has been undone. */
  body: Buffer;
}

/**
 * One HTTP attempt against MESH: a fresh auth token, v2 Accept, gzip answers (unless configured off), keep-alive connections with the
 * configured connect/read timeouts and optional mutual TLS. Retrying is the caller's decision; this layer only
 * reports whether a failed attempt could have put request bytes on the wire.
 */
export class MeshTransport {
  private readonly agent: Agent;

  constructor(
    private readonly config: MeshConfig,
    private readonly userAgent: string,
  ) {
    const { tls } = config;
    this.agent = new Agent({
      connect: {
        timeout: config.connectTimeoutMs,
        minVersion: 'TLSv1.2',
        cert: readPem('tls.certFile', tls.certFile),
        key:
          tls.keyFile === undefined ? undefined : readSecretFile(tls.keyFile, MESH_ENV_VARS['tls.keyFile']),
        passphrase: tls.keyPassphrase,
        ca: readPem('tls.caFile', tls.caFile),
      },
      headersTimeout: config.readTimeoutMs,
      bodyTimeout: config.readTimeoutMs,
    });
  }

  /** One attempt, the whole answer read and decoded (JSON answers and errors: at most MAX_BUFFERED_BYTES). */
  async attempt(operation: MeshOperation, req: MeshHttpRequest): Promise<MeshHttpResponse> {
    return (await this.open(operation, req)).buffered();
  }

  /** One attempt whose body is left to the caller to stream (downloads); `buffered()` reads it like attempt(). */
  async open(operation: MeshOperation, req: MeshHttpRequest): Promise<MeshStreamResponse> {
    const headers: Record<string, string> = {
      accept: MESH_V2_MEDIA_TYPE,
      'accept-encoding': this.config.acceptGzip ? 'gzip' : 'identity',
      'user-agent': this.userAgent,
      ...req.headers,
      // Built per attempt: real MESH accepts a token once.
      authorization: buildMeshAuthToken(this.config),
    };
    try {
      // Named by operation: paths carry mailbox and message ids, and the headers addresses.
      const response = await tracedCall(`MESH ${operation}`, { 'http.request.method': req.method }, () =>
        request(`${this.config.url}${req.path}`, {
          method: req.method,
          headers,
          body: req.body,
          dispatcher: this.agent,
        }),
      );
      const status = response.statusCode;
      const responseHeaders = flattenHeaders(response.headers);
      return {
        status,
        headers: responseHeaders,
        body: response.body,
        buffered: async () => ({
          status,
          headers: responseHeaders,
          body: await readAnswer(operation, req.messageId, response.body, responseHeaders),
        }),
      };
    } catch (error) {
      throw connectionError(operation, error, req.messageId);
    }
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}

/** Reads a whole answer, at most MAX_BUFFERED_BYTES on the wire and after inflation. */
async function readAnswer(
  operation: MeshOperation,
  messageId: string | undefined,
  body: Readable,
  headers: Record<string, string>,
): Promise<Buffer> {
  const parts: Buffer[] = [];
  let size = 0;
  try {
    for await (const part of body) {
      size += (part as Buffer).length;
      if (size > MAX_BUFFERED_BYTES) {
        body.destroy();
        throw new MeshResponseError(operation, `answer larger than ${MAX_BUFFERED_BYTES} bytes`, messageId);
      }
      parts.push(part as Buffer);
    }
  } catch (error) {
    if (error instanceof MeshResponseError) throw error;
    throw connectionError(operation, error, messageId);
  }
  const raw = Buffer.concat(parts);
  if (headers['content-encoding']?.toLowerCase() !== 'gzip' || raw.length === 0) return raw;
  try {
    const options = { maxOutputLength: MAX_BUFFERED_BYTES };
    return raw.length <= SYNC_GUNZIP_MAX_BYTES ? zlib.gunzipSync(raw, options) : await gunzip(raw, options);
  } catch {
    throw new MeshResponseError(
      operation,
      'body declared gzip is not valid gzip or inflates past the limit',
      messageId,
    );
  }
}

/** Reads a configured PEM file; an unreadable one is a configuration error naming the setting. */
function readPem(field: 'tls.certFile' | 'tls.caFile', file: string | undefined): Buffer | undefined {
  if (file === undefined) return undefined;
  try {
    return fs.readFileSync(file);
  } catch (error) {
    const reason = `cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`;
    throw new ValidationError(MESH_CONFIG_SUBJECT, [{ field: `${MESH_ENV_VARS[field]} (${field})`, reason }]);
  }
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) flat[name.toLowerCase()] = first;
  }
  return flat;
}

/** Failures of the connect/TLS phase: no request byte can have been written. Anything else may have sent the request. */
const BEFORE_SEND: Record<string, MeshConnectionFailure> = {
  ECONNREFUSED: 'refused',
  ENOTFOUND: 'unreachable',
  EAI_AGAIN: 'unreachable',
  EHOSTUNREACH: 'unreachable',
  ENETUNREACH: 'unreachable',
  EADDRNOTAVAIL: 'unreachable',
  UND_ERR_CONNECT_TIMEOUT: 'connect-timeout',
};
const AFTER_SEND: Record<string, MeshConnectionFailure> = {
  ECONNRESET: 'reset',
  EPIPE: 'reset',
  UND_ERR_SOCKET: 'reset',
  UND_ERR_CLOSED: 'reset',
  UND_ERR_HEADERS_TIMEOUT: 'read-timeout',
  UND_ERR_BODY_TIMEOUT: 'read-timeout',
};

export function connectionError(
  operation: MeshOperation,
  error: unknown,
  messageId: string | undefined,
): MeshConnectionError {
  const code = errorCode(error);
  if (code !== undefined && code in BEFORE_SEND) {
    return new MeshConnectionError(operation, BEFORE_SEND[code]!, false, { cause: error, messageId });
  }
  // A certificate or handshake failure ends the connection before the request is written.
  if (code !== undefined && /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED)/.test(code)) {
    return new MeshConnectionError(operation, 'tls', false, { cause: error, messageId });
  }
  return new MeshConnectionError(
    operation,
    (code !== undefined ? AFTER_SEND[code] : undefined) ?? 'other',
    true,
    { cause: error, messageId },
  );
}

function errorCode(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; current && depth < 4; depth += 1) {
    const { code, cause, errors } = current as { code?: unknown; cause?: unknown; errors?: unknown[] };
    if (typeof code === 'string') return code;
    current = cause ?? (Array.isArray(errors) ? errors[0] : undefined); // AggregateError from happy-eyeballs connects
  }
  return undefined;
}
