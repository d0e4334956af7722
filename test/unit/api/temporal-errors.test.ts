/** client/api/temporal-errors.ts: 503 only for a Temporal that is unavailable or timed out. */
import { ServiceError } from '@temporalio/client';
import { rejectionForTemporalError } from '../../../client/api/temporal-errors';

/** A gRPC error as @grpc/grpc-js raises it, wrapped by the SDK as a ServiceError. */
function grpcError(code: number, details: string): ServiceError {
  const cause = Object.assign(new Error(`${code} ${details}`), { code, details, metadata: {} });
  return new ServiceError('Failed to signalWithStart Workflow', { cause });
}

const answer = (error: unknown) => {
  const rejection = rejectionForTemporalError(error);
  return rejection && { status: rejection.statusCode, code: rejection.code };
};

describe('rejectionForTemporalError', () => {
  it.each([
    ['UNAVAILABLE', 14],
    ['DEADLINE_EXCEEDED', 4],
    ['CANCELLED', 1],
    ['RESOURCE_EXHAUSTED (rate limited)', 8],
  ])('503 for %s', (_name, code) => {
    expect(answer(grpcError(code, 'x'))).toEqual({ status: 503, code: 'temporal_unavailable' });
  });

  it('503 when the connection failed before any gRPC status', () => {
    const error = new ServiceError('Unexpected error while making gRPC request', {
      cause: new Error('ECONNREFUSED'),
    });
    expect(answer(error)).toEqual({ status: 503, code: 'temporal_unavailable' });
  });

  it('413 for INVALID_ARGUMENT over the blob size limit', () => {
    expect(answer(grpcError(3, 'Blob data size exceeds limit.'))).toEqual({
      status: 413,
      code: 'snapshot_too_large',
    });
  });

  it.each([
    ['another INVALID_ARGUMENT', 3],
    ['PERMISSION_DENIED', 7],
    ['UNAUTHENTICATED', 16],
    ['INTERNAL', 13],
  ])('no 503 (a 500 with the cause logged) for %s', (_name, code) => {
    expect(answer(grpcError(code, 'refused'))).toBeUndefined();
  });

  it('leaves errors that are not Temporal calls alone', () => {
    expect(answer(new Error('bug'))).toBeUndefined();
  });
});
