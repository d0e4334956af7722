/** activities/failures.ts: each error class our integrations throw → the ApplicationFailure the workflow sees. */
import { ApplicationFailure } from '@temporalio/common';
import { toActivityFailure } from '../../../activities/failures';
import { ValidationError } from '../../../domain/validation-error';
import {
  MeshAuthenticationError,
  MeshConnectionError,
  MeshHttpError,
  MeshInvalidMessageError,
  MeshResponseError,
  MeshUnknownOutcomeError,
} from '../../../integrations/mesh/errors';
import {
  PdsAccessDeniedError,
  PdsRateLimitedError,
  PdsServerError,
  PdsTimeoutError,
  PdsUnexpectedResponseError,
} from '../../../integrations/pds/errors';
import { ReportTooLargeError } from '../../../integrations/report/errors';
import { FhirSerialisationError } from '../../../integrations/itk3/errors';
import { FAILURE_TYPES } from '../../../workflows/encounter-activities';

const connection = new MeshConnectionError('send', 'reset', true, { cause: new Error('ECONNRESET') });

/** The parts of a failure the workflow and Temporal's retry policy read. */
function failureOf(error: unknown) {
  const failure = toActivityFailure(error);
  expect(failure).toBeInstanceOf(ApplicationFailure);
  const { type, message, nonRetryable, nextRetryDelay, details } = failure as ApplicationFailure;
  return { type, message, nonRetryable, nextRetryDelay, details };
}

describe('toActivityFailure: MESH', () => {
  it.each<[string, Error, { type: string; nonRetryable: boolean; nextRetryDelay?: number }]>([
    [
      'an unknown send outcome',
      new MeshUnknownOutcomeError('l1', connection),
      { type: FAILURE_TYPES.unknownOutcome, nonRetryable: true },
    ],
    [
      '429 with Retry-After',
      new MeshHttpError('send', { status: 429, retryAfterMs: 30_000 }),
      { type: 'MeshHttpError', nonRetryable: false, nextRetryDelay: 30_000 },
    ],
    [
      'a permanent HTTP error',
      new MeshHttpError('send', { status: 417, code: '12' }),
      { type: 'MeshHttpError', nonRetryable: true },
    ],
    [
      '403 (a fresh token may cure it)',
      new MeshAuthenticationError('inbox', { status: 403 }),
      { type: 'MeshAuthenticationError', nonRetryable: false },
    ],
    ['a connection failure', connection, { type: 'MeshConnectionError', nonRetryable: false }],
    [
      'an unreadable answer',
      new MeshResponseError('track', 'no id'),
      { type: 'MeshResponseError', nonRetryable: true },
    ],
    [
      'a message refused locally',
      new MeshInvalidMessageError([{ field: 'to', reason: 'required' }]),
      { type: 'MeshInvalidMessageError', nonRetryable: true },
    ],
  ])('%s', (_what, error, expected) => {
    expect(failureOf(error)).toMatchObject({
      message: error.message,
      nextRetryDelay: undefined,
      ...expected,
    });
  });
});

describe('toActivityFailure: PDS', () => {
  it.each<[string, Error, Partial<ApplicationFailure>]>([
    [
      '429 with Retry-After',
      new PdsRateLimitedError('rate limited', {
        status: 429,
        spineCode: 'TOO_MANY_REQUESTS',
        retryAfterMs: 9_000,
      }),
      {
        nonRetryable: false,
        nextRetryDelay: 9_000,
        details: [{ status: 429, spineCode: 'TOO_MANY_REQUESTS' }],
      },
    ],
    [
      '403',
      new PdsAccessDeniedError('denied', false, { status: 403, spineCode: 'ACCESS_DENIED' }),
      { nonRetryable: true, details: [{ status: 403, spineCode: 'ACCESS_DENIED' }] },
    ],
    [
      '401 on a bearer token',
      new PdsAccessDeniedError('token refused', true, { status: 401 }),
      { nonRetryable: false, details: [{ status: 401, spineCode: null }] },
    ],
    [
      '5xx',
      new PdsServerError('server error', { status: 503 }),
      { nonRetryable: false, details: [{ status: 503, spineCode: null }] },
    ],
    [
      'an unexpected answer',
      new PdsUnexpectedResponseError('odd', { status: 418 }),
      { nonRetryable: true, details: [{ status: 418, spineCode: null }] },
    ],
    [
      'a timeout (no answer at all)',
      new PdsTimeoutError('no answer in time'),
      { nonRetryable: false, details: [{ status: null, spineCode: null }] },
    ],
  ])('%s: typed by its class, status and spine code in details', (_what, error, expected) => {
    expect(failureOf(error)).toEqual({
      type: error.name,
      message: error.message,
      nextRetryDelay: undefined,
      ...expected,
    });
  });
});

describe('toActivityFailure: input that cannot change', () => {
  it.each<[string, Error]>([
    ['a report above the size limit', new ReportTooLargeError(6_000_000, 5_000_000)],
    [
      'input failing a contract',
      new ValidationError('MESH configuration', [{ field: 'url', reason: 'Required' }]),
    ],
    [
      'a message the FHIR serialiser refuses',
      new FhirSerialisationError('Bundle.entry[0]', 'contains characters XML 1.0 cannot carry'),
    ],
  ])('%s is non-retryable, typed by its class', (_what, error) => {
    expect(failureOf(error)).toMatchObject({ type: error.name, message: error.message, nonRetryable: true });
  });
});

describe('toActivityFailure: anything else', () => {
  it.each<[string, unknown]>([
    ['an Error of no integration', new TypeError('bug')],
    ['a failure already mapped', ApplicationFailure.nonRetryable('done', 'Done')],
    ['a non-Error', 'thrown string'],
  ])('%s is returned unchanged', (_what, error) => {
    expect(toActivityFailure(error)).toBe(error);
  });
});
