/**
 * How side-effect errors reach the workflow: as ApplicationFailures whose type the workflow can branch on, with
 * retryability decided here (where the cause is known) and Retry-After passed on as the next retry delay.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { ValidationError } from '../domain/validation-error';
import { FhirSerialisationError } from '../integrations/itk3/errors';
import { MeshError, MeshHttpError, MeshUnknownOutcomeError } from '../integrations/mesh/errors';
import { PdsError } from '../integrations/pds/errors';
import { ReportTooLargeError } from '../integrations/report/errors';
import { AttachmentIntegrityError } from '../integrations/store/snapshot-attachments';
import { FAILURE_TYPES } from '../workflows/encounter-activities';

/** The failure for an error of ours; any other error is returned unchanged (Temporal retries it). */
export function toActivityFailure(error: unknown): unknown {
  if (error instanceof MeshUnknownOutcomeError) {
    return ApplicationFailure.nonRetryable(error.message, FAILURE_TYPES.unknownOutcome);
  }
  if (error instanceof MeshError) {
    return failureAsTheErrorSays(error, error instanceof MeshHttpError ? error.retryAfterMs : undefined);
  }
  if (error instanceof PdsError) {
    // null, not undefined: details travel as JSON.
    const details = [{ status: error.status ?? null, spineCode: error.spineCode ?? null }];
    return failureAsTheErrorSays(error, error.retryAfterMs, details);
  }
  // The same input always renders and serialises the same bytes and fails the same checks: retrying cannot help.
  if (
    error instanceof ReportTooLargeError ||
    error instanceof ValidationError ||
    error instanceof FhirSerialisationError ||
    // A missing or altered attachment stays so.
    error instanceof AttachmentIntegrityError
  ) {
    return ApplicationFailure.nonRetryable(error.message, error.name);
  }
  return error;
}

/** Typed by the error's class; retryable when the error says so, after the delay the far end asked for. */
function failureAsTheErrorSays(
  error: MeshError | PdsError,
  retryAfterMs: number | undefined,
  details?: unknown[],
): ApplicationFailure {
  return ApplicationFailure.create({
    type: error.name,
    message: error.message,
    nonRetryable: !error.retryable,
    nextRetryDelay: retryAfterMs,
    details,
  });
}
