/**
 * Typed PDS failures. Each says whether trying again can help (`retryable`), so the Temporal activity can turn it
 * into a retryable or non-retryable failure without knowing HTTP. Messages say "the patient", never the NHS number.
 */

export interface PdsErrorDetails {
  /** HTTP status PDS answered with; absent when no answer arrived (timeout, connection failure). */
  status?: number;
  /** Spine error code from the OperationOutcome (`INVALID_RESOURCE_ID`, `TOO_MANY_REQUESTS`, ...). */
  spineCode?: string;
  /** How long PDS asked us to wait before trying again (from `Retry-After`). */
  retryAfterMs?: number;
  cause?: unknown;
}

export abstract class PdsError extends Error {
  abstract readonly retryable: boolean;
  readonly status: number | undefined;
  readonly spineCode: string | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(message: string, details: PdsErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.status = details.status;
    this.spineCode = details.spineCode;
    this.retryAfterMs = details.retryAfterMs;
  }
}

/** 400 INVALID_RESOURCE_ID: PDS says the NHS number is not a valid one. */
export class PdsInvalidNhsNumberError extends PdsError {
  readonly retryable = false;
}

/** 404 RESOURCE_NOT_FOUND: no patient has this NHS number. */
export class PdsPatientNotFoundError extends PdsError {
  readonly retryable = false;
}

/** 404 INVALIDATED_RESOURCE: the record existed but was invalidated without a successor. */
export class PdsPatientInvalidatedError extends PdsError {
  readonly retryable = false;
}

/** Any other 400 (MISSING_VALUE, INVALID_VALUE...): our request was wrong, so repeating it cannot help. */
export class PdsBadRequestError extends PdsError {
  readonly retryable = false;
}

/**
 * 401 or 403. A 401 on a bearer token is retryable: the cached token was dropped and the next attempt signs in
 * afresh (expiry races, key rotation). A 403, or a 401 without a token, is a configuration problem.
 */
export class PdsAccessDeniedError extends PdsError {
  constructor(
    message: string,
    readonly retryable: boolean,
    details: PdsErrorDetails,
  ) {
    super(message, details);
  }
}

/** The token endpoint rejected our signed JWT (wrong key, kid, API key or audience): fix the configuration. */
export class PdsAuthenticationError extends PdsError {
  readonly retryable = false;
}

/** 408 UNABLE_TO_CALL_SERVICE, or no answer within the configured timeout. */
export class PdsTimeoutError extends PdsError {
  readonly retryable = true;
}

/** 429 TOO_MANY_REQUESTS; `retryAfterMs` carries `Retry-After` when PDS sent one. */
export class PdsRateLimitedError extends PdsError {
  readonly retryable = true;
}

/** 5xx from PDS or the API platform in front of it. */
export class PdsServerError extends PdsError {
  readonly retryable = true;
}

/** The connection failed before an answer arrived (refused, reset, DNS). */
export class PdsNetworkError extends PdsError {
  readonly retryable = true;
}

/** An answer this client does not understand: a body that fails the schema, or a status PDS does not document. */
export class PdsUnexpectedResponseError extends PdsError {
  readonly retryable = false;
}
