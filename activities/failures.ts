/**
 * How side-effect errors reach the workflow: as ApplicationFailures whose type the workflow can branch on, with
 * retryability decided here (where the cause is known) and Retry-After passed on as the next retry delay.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { ValidationError } from '../domain/validation-error';
import { MeshError, MeshHttpError, MeshUnknownOutcomeError } from '../integrations/mesh/errors';
import { ReportTooLargeError } from '../integrations/report/errors';
import { FAILURE_TYPES } from '../workflows/encounter-activities';

export function toActivityFailure(error: unknown): unknown {
  if (error instanceof MeshUnknownOutcomeError) {
    return ApplicationFailure.nonRetryable(error.message, FAILURE_TYPES.unknownOutcome);
  }
  if (error instanceof MeshError) {
    return ApplicationFailure.create({
      type: error.name,
      message: error.message,
      nonRetryable: !error.retryable,
      nextRetryDelay: error instanceof MeshHttpError && error.retryAfterMs !== undefined ? error.retryAfterMs : undefined,
    });
  }
  // The same input always renders the same bytes and fails the same checks: retrying cannot help.
  if (error instanceof ReportTooLargeError || error instanceof ValidationError) {
    return ApplicationFailure.nonRetryable(error.message, error.name);
  }
  return error;
}
