import { setTimeout as sleep } from 'node:timers/promises';
import type { MeshConfig } from './config';
import { MeshError, MeshHttpError } from './errors';

export type RetryPolicy = MeshConfig['retry'];

/**
 * The wait before attempt `attempt + 1`: the server's Retry-After when it gave one, else exponential backoff with full
 * jitter (spreads a fleet of workers that failed together). Undefined when Retry-After asks for longer than the
 * policy allows: the caller then gives up and reports the error, whose retryAfterMs tells it when to come back.
 */
export function retryDelayMs(
  policy: RetryPolicy,
  attempt: number,
  error: MeshError,
  random: () => number = Math.random,
): number | undefined {
  const retryAfterMs = error instanceof MeshHttpError ? error.retryAfterMs : undefined;
  if (retryAfterMs !== undefined) return retryAfterMs <= policy.maxDelayMs ? retryAfterMs : undefined;
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(random() * ceiling);
}

export interface RetryObserver {
  (event: { error: MeshError; attempt: number; delayMs: number }): void;
}

/**
 * Runs `attempt` until it succeeds, throws an error `mayRetry` refuses, or the policy's attempts run out. The error
 * that escapes records how many attempts were made.
 */
export async function withRetries<T>(
  policy: RetryPolicy,
  attempt: (attemptNumber: number) => Promise<T>,
  mayRetry: (error: MeshError) => boolean,
  onRetry?: RetryObserver,
): Promise<T> {
  for (let attemptNumber = 1; ; attemptNumber += 1) {
    try {
      return await attempt(attemptNumber);
    } catch (error) {
      if (!(error instanceof MeshError)) throw error;
      error.attempts = attemptNumber;
      const delayMs =
        attemptNumber < policy.maxAttempts && mayRetry(error)
          ? retryDelayMs(policy, attemptNumber, error)
          : undefined;
      if (delayMs === undefined) throw error;
      onRetry?.({ error, attempt: attemptNumber, delayMs });
      await sleep(delayMs);
    }
  }
}
