/** How the workflow reads an activity's failure: the type our adapters set, and a PHI-free line for operators. */
import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';

export function failureType(error: unknown): string | undefined {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  return cause instanceof ApplicationFailure ? (cause.type ?? undefined) : undefined;
}

/** Failure types and messages from our adapters are PHI-free by construction. */
export function failureSummary(error: unknown): string {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  if (cause instanceof ApplicationFailure) return `${cause.type ?? 'Error'}: ${cause.message}`;
  if (cause instanceof Error) return `${cause.name}: ${cause.message}`;
  return String(cause);
}
