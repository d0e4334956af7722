/**
 * How the API answers a Temporal call that failed. 503 ("retry later") only when Temporal was unreachable, overloaded
 * or too slow: a request Temporal refused as invalid fails the same way every time, so a 503 would have the client
 * retry forever. A payload over Temporal's blob size limit is a 413 (it gets there only with a budget set above the
 * server's limit); anything else is a 500 whose details stay in the log.
 */
import { ServiceError, isGrpcServiceError } from '@temporalio/client';
import type { FastifyBaseLogger } from 'fastify';
import { causeChain, grpcStatusOf } from '../encounters';
import { ApiRejection } from './errors';

/** gRPC status codes (grpc/status.h). */
const GRPC = {
  CANCELLED: 1,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  RESOURCE_EXHAUSTED: 8,
  UNAVAILABLE: 14,
};
/** Unreachable, timed out (our deadline or the server's), or rate-limited by the server: the same call may succeed later. */
const TRANSIENT = new Set([
  GRPC.CANCELLED,
  GRPC.DEADLINE_EXCEEDED,
  GRPC.RESOURCE_EXHAUSTED,
  GRPC.UNAVAILABLE,
]);

export function temporalUnavailable(): ApiRejection {
  return new ApiRejection(503, 'temporal_unavailable', 'Temporal did not answer; retry later', [
    { field: 'service', reason: 'Temporal is unreachable or did not answer in time' },
  ]);
}

export function snapshotTooLarge(reason: string): ApiRejection {
  return new ApiRejection(413, 'snapshot_too_large', 'the consultation snapshot is too large to hold', [
    { field: '(root)', reason },
  ]);
}

/** The rejection for a failed Temporal call, or undefined when the error is not Temporal's (or is a 500). */
export function rejectionForTemporalError(error: unknown): ApiRejection | undefined {
  if (!(error instanceof ServiceError) && !isGrpcServiceError(error)) return undefined;
  const code = grpcStatusOf(error);
  // No gRPC status at all: the connection itself failed.
  if (code === undefined || TRANSIENT.has(code)) return temporalUnavailable();
  if (
    code === GRPC.INVALID_ARGUMENT &&
    causeChain(error).some((e) => /size exceeds limit/i.test(e.message))
  ) {
    return snapshotTooLarge('is larger than Temporal accepts (its blob size limit)');
  }
  return undefined;
}

/** Answers Temporal's failures of `pending` as rejectionForTemporalError says, logging the cause. */
export function answeringTemporalErrors<T>(pending: Promise<T>, log: FastifyBaseLogger): Promise<T> {
  return pending.catch((error: unknown) => {
    const rejection = rejectionForTemporalError(error);
    if (!rejection) throw error;
    log.warn({ err: error, grpcStatus: grpcStatusOf(error) }, 'Temporal call failed');
    throw rejection;
  });
}
