/**
 * Every rejection the HTTP services (API and codec server) send has one shape: a machine-readable code, a sentence,
 * and the fields at fault with the reason for each. Nothing the caller sent is echoed back (it may be PHI).
 */
import type { FastifyError, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import type { FieldIssue } from '../../domain/validation-error';

export type ApiErrorCode =
  | 'unauthorized'
  | 'practice_not_permitted'
  | 'invalid_request'
  | 'invalid_json'
  | 'unsupported_media_type'
  | 'payload_too_large'
  | 'snapshot_too_large'
  | 'attachments_too_large'
  | 'invalid_encounter_id'
  | 'invalid_practice_ods'
  | 'invalid_snapshot'
  | 'invalid_withdrawal'
  | 'invalid_reconciliation'
  | 'encounter_id_mismatch'
  | 'hosting_practice_mismatch'
  | 'encounter_not_found'
  | 'withdrawal_refused'
  | 'withdrawal_unavailable'
  | 'filing_refused'
  | 'filing_unavailable'
  | 'not_found'
  | 'rate_limited'
  | 'undecodable_payload'
  | 'status_unavailable'
  | 'temporal_unavailable'
  | 'internal_error';

export interface ApiErrorBody {
  error: ApiErrorCode;
  message: string;
  issues: FieldIssue[];
}

/** Thrown by handlers and hooks; the error handler turns it into the response as it is. */
export class ApiRejection extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly issues: FieldIssue[] = [],
    /** Extra response headers, e.g. WWW-Authenticate on a 401. */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiRejection';
  }

  body(): ApiErrorBody {
    return { error: this.code, message: this.message, issues: this.issues };
  }
}

/**
 * What fastify itself rejects before a handler runs (content type, size, JSON syntax), in the shared shape. The
 * parser's own message is dropped: for a JSON syntax error it quotes the body around the fault.
 */
function rejectionForFrameworkError(error: FastifyError, bodyLimitBytes: number): ApiRejection | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return unsupportedMediaType();
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ApiRejection(413, 'payload_too_large', 'the request body is too large', [
        { field: 'body', reason: `must be at most ${bodyLimitBytes} bytes` },
      ]);
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new ApiRejection(400, 'invalid_json', 'the request body is empty', [
        { field: 'body', reason: 'is empty' },
      ]);
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new ApiRejection(400, 'invalid_request', 'the request body does not match its Content-Length', [
        { field: 'Content-Length', reason: 'does not match the body received' },
      ]);
    default:
      break;
  }
  if (
    error.statusCode === 400 &&
    (error instanceof SyntaxError || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY')
  ) {
    return new ApiRejection(400, 'invalid_json', 'the request body is not valid JSON', [
      { field: 'body', reason: 'is not valid JSON' },
    ]);
  }
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
    return new ApiRejection(error.statusCode, 'invalid_request', 'the request is malformed', [
      { field: 'request', reason: error.code ?? 'is malformed' },
    ]);
  }
  return undefined;
}

export function unsupportedMediaType(): ApiRejection {
  return new ApiRejection(415, 'unsupported_media_type', 'the request body must be JSON', [
    { field: 'Content-Type', reason: 'must be application/json' },
  ]);
}

/**
 * `preValidation` hook: requests with a body must declare it JSON (fastify lets an empty, undeclared body through
 * to the handler). A synchronous throw reaches the error handler.
 */
export function requireJsonContentType(
  request: FastifyRequest,
  _reply: FastifyReply,
  done: HookHandlerDoneFunction,
): void {
  const contentType = request.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  if (contentType !== 'application/json') throw unsupportedMediaType();
  done();
}

/**
 * The error handler of both services: rejections go out as they are; anything unexpected becomes a 500 whose
 * details stay in the log (error messages of this code base carry no PHI; see domain/validation-error.ts).
 */
export function errorHandler(bodyLimitBytes: number) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    const rejection =
      error instanceof ApiRejection ? error : rejectionForFrameworkError(error, bodyLimitBytes);
    if (rejection) {
      request.log.info({ statusCode: rejection.statusCode, error: rejection.code }, 'request rejected');
      return reply.code(rejection.statusCode).headers(rejection.headers).send(rejection.body());
    }
    request.log.error({ err: error }, 'request failed');
    return reply.code(500).send({
      error: 'internal_error',
      message: 'the request failed; see the service log',
      issues: [],
    } satisfies ApiErrorBody);
  };
}

export function notFoundHandler(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return reply.code(404).send({
    error: 'not_found',
    message: 'no such route',
    issues: [{ field: 'path', reason: 'is not a route of this service' }],
  } satisfies ApiErrorBody);
}
