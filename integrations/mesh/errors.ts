import { z } from 'zod';

/** The client operation an error came from: the one field every MESH error carries. */
export type MeshOperation =
  'handshake' | 'send' | 'send-chunk' | 'inbox' | 'peek' | 'download' | 'acknowledge' | 'track' | 'lookup';

/**
 * Base of every error the MESH client throws. `retryable` says whether the same call may succeed later (the client
 * has already spent its own retry budget when you see one); messages never contain mex-to or mex-subject values,
 * the password, the shared key or the auth token.
 */
export abstract class MeshError extends Error {
  abstract readonly retryable: boolean;
  /** How many HTTP attempts the client made before giving up (set by the retry loop). */
  attempts = 1;

  protected constructor(
    readonly operation: MeshOperation,
    message: string,
    /** The MESH message the call concerned, when known (download, acknowledge, later chunks of a send). */
    readonly messageId?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Statuses the issue lists as transient; every other error status is permanent. 403 is there because MESH answers
 * it to a stale or reused token, which the next attempt's fresh token cures. */
const RETRYABLE_STATUSES = new Set([403, 425, 429, 502, 503, 504]);

export interface MeshHttpErrorDetails {
  status: number;
  /** MESH/DTS error code, e.g. "12" unregistered recipient, "17" workflow not registered, "EPL-151". */
  code?: string;
  /** MESH error event, e.g. SEND, TRANSFER, COLLECT. */
  event?: string;
  /** The server's description, already redacted. */
  description?: string;
  messageId?: string;
  /** From Retry-After (seconds or HTTP date), when the server sent one. */
  retryAfterMs?: number;
}

/** MESH answered with an error status. */
export class MeshHttpError extends MeshError {
  readonly status: number;
  readonly code?: string;
  readonly event?: string;
  readonly description?: string;
  readonly retryAfterMs?: number;
  readonly retryable: boolean;

  constructor(operation: MeshOperation, details: MeshHttpErrorDetails) {
    const parts = [
      `MESH ${operation} failed with HTTP ${details.status}`,
      details.event ? `event ${details.event}` : undefined,
      details.code ? `code ${details.code}` : undefined,
    ].filter(Boolean);
    super(
      operation,
      `${parts.join(', ')}${details.description ? `: ${details.description}` : ''}`,
      details.messageId,
    );
    this.name = 'MeshHttpError';
    this.status = details.status;
    this.code = details.code;
    this.event = details.event;
    this.description = details.description;
    this.retryAfterMs = details.retryAfterMs;
    this.retryable = RETRYABLE_STATUSES.has(details.status);
  }
}

/** 403: the token, the password, the shared key or the mailbox's rights were refused. */
export class MeshAuthenticationError extends MeshHttpError {
  constructor(operation: MeshOperation, details: MeshHttpErrorDetails) {
    super(operation, details);
    this.name = 'MeshAuthenticationError';
  }
}

export type MeshConnectionFailure =
  'refused' | 'unreachable' | 'connect-timeout' | 'tls' | 'reset' | 'read-timeout' | 'other';

/** No usable HTTP answer: the connection failed, was reset, or stalled past the read timeout. */
export class MeshConnectionError extends MeshError {
  readonly retryable = true;

  constructor(
    operation: MeshOperation,
    readonly failure: MeshConnectionFailure,
    /** False only when the failure provably happened before any request byte was written (connect/TLS phase). */
    readonly requestMayHaveBeenSent: boolean,
    options: { cause: unknown; messageId?: string },
  ) {
    super(
      operation,
      `MESH ${operation}: connection ${failure}${requestMayHaveBeenSent ? '' : ' (request not sent)'}`,
      options.messageId,
      {
        cause: options.cause,
      },
    );
    this.name = 'MeshConnectionError';
  }
}

/**
 * The first POST to /outbox may or may not have created a message: its body may have left the process and no
 * definitive answer came back (reset, stall, 5xx from a gateway, an unreadable 202). The client never resends it;
 * the caller reconciles (tracking, ITK3 acks, an operator) using the local id it chose.
 */
export class MeshUnknownOutcomeError extends MeshError {
  readonly retryable = false;

  constructor(
    /** The mex-localid of the send (undefined if the caller sent none). */
    readonly localId: string | undefined,
    cause: MeshError,
  ) {
    super(
      'send',
      `MESH send outcome unknown for local id ${localId ?? '(none)'}: ${cause.message}; not resent, reconcile before sending again`,
      undefined,
      {
        cause,
      },
    );
    this.name = 'MeshUnknownOutcomeError';
  }
}

/** MESH answered with a success status but a body or headers this client cannot understand. */
export class MeshResponseError extends MeshError {
  readonly retryable = false;

  constructor(operation: MeshOperation, reason: string, messageId?: string) {
    super(operation, `MESH ${operation}: unexpected response: ${reason}`, messageId);
    this.name = 'MeshResponseError';
  }
}

/** What made a download too large: its declared chunk count or size, or the bytes actually read or inflated. */
export type MeshSizeMeasure = 'chunks' | 'declared bytes' | 'bytes';

/**
 * A message exceeds the caller's limits: found from its headers before the body was read, or while reading (the
 * transfer or the gzip inflation passed the limit and was stopped). Retrying cannot help.
 */
export class MeshMessageTooLargeError extends MeshError {
  readonly retryable = false;

  constructor(
    readonly measure: MeshSizeMeasure,
    readonly limit: number,
    messageId?: string,
  ) {
    super('download', `MESH message over the limit: ${measure} exceed ${limit}`, messageId);
    this.name = 'MeshMessageTooLargeError';
  }
}

/** A message the caller asked to send breaks a MESH rule (names the field and the rule, never the value). */
export class MeshInvalidMessageError extends MeshError {
  readonly retryable = false;

  constructor(readonly problems: { field: string; reason: string }[]) {
    super('send', `MESH send refused locally: ${problems.map((p) => `${p.field}: ${p.reason}`).join('; ')}`);
    this.name = 'MeshInvalidMessageError';
  }
}

/**
 * Error bodies MESH and mesh-sandbox return: v2 `{message_id?, internal_id?, detail: [{event, code, msg}]}`, v1
 * `{messageID, errorEvent, errorCode, errorDescription}`, FastAPI validation `{detail: [{loc, msg, input}]}` (the
 * `input` echoes header values, so it is never read), or a bare `{detail: "..."}`.
 */
const errorBodySchema = z
  .object({
    message_id: z.string().optional(),
    messageID: z.string().optional(),
    errorEvent: z.string().optional(),
    errorCode: z.string().optional(),
    errorDescription: z.string().optional(),
    detail: z
      .union([
        z.string(),
        z.array(
          z
            .object({
              event: z.string().optional(),
              code: z.string().optional(),
              msg: z.string().optional(),
              loc: z.array(z.union([z.string(), z.number()])).optional(),
            })
            .passthrough(),
        ),
      ])
      .optional(),
  })
  .passthrough();

/** Builds the typed error for an HTTP error answer, scrubbing every sensitive value out of the server's text. */
export function errorFromResponse(
  operation: MeshOperation,
  response: { status: number; headers: Record<string, string>; body: Buffer },
  sensitiveValues: readonly string[],
  messageId?: string,
): MeshHttpError {
  const parsed = errorBodySchema.safeParse(safeJson(response.body));
  const body = parsed.success ? parsed.data : {};
  const first = Array.isArray(body.detail) ? body.detail[0] : undefined;
  const description =
    body.errorDescription ??
    (typeof body.detail === 'string' ? body.detail : undefined) ??
    (first?.msg !== undefined ? `${first.loc ? `${first.loc.join('.')}: ` : ''}${first.msg}` : undefined);
  const details: MeshHttpErrorDetails = {
    status: response.status,
    code: nonEmpty(body.errorCode ?? first?.code),
    event: nonEmpty(body.errorEvent ?? first?.event),
    description: description === undefined ? undefined : redact(description, sensitiveValues).slice(0, 300),
    messageId: nonEmpty(body.message_id ?? body.messageID) ?? messageId,
    retryAfterMs: parseRetryAfter(response.headers['retry-after']),
  };
  return response.status === 403
    ? new MeshAuthenticationError(operation, details)
    : new MeshHttpError(operation, details);
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * Replaces each sensitive value (mex-to, mex-subject: patient details by specification) wherever it appears, in any
 * case (MESH upper-cases mex-to), plus anything shaped like a GPPROVIDER demographic address.
 */
export function redact(text: string, sensitiveValues: readonly string[]): string {
  let result = text;
  for (const value of sensitiveValues) {
    if (value.trim().length < 3) continue;
    result = result.replace(new RegExp(escapeRegExp(value.trim()), 'gi'), '[redacted]');
  }
  return result.replace(/GPPROVIDER_[^\s"',;]*/gi, '[redacted]');
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

function safeJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}
