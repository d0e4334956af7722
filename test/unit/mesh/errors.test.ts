import {
  errorFromResponse,
  MeshAuthenticationError,
  MeshHttpError,
  parseRetryAfter,
  redact,
} from '../../../integrations/mesh/errors';

const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));
const to = 'GPPROVIDER_9000000009_20101022_SMITH';
const subject = 'Report for Jane Smith';

test('a v2 417 "unregistered recipient" becomes a permanent error carrying MESH event and code', () => {
  const error = errorFromResponse(
    'send',
    {
      status: 417,
      headers: {},
      body: json({ detail: [{ event: 'SEND', code: '12', msg: 'Unregistered to address' }] }),
    },
    [to, subject],
  );
  expect(error).toBeInstanceOf(MeshHttpError);
  expect(error).toMatchObject({
    status: 417,
    code: '12',
    event: 'SEND',
    retryable: false,
    operation: 'send',
  });
  expect(error.message).toBe('MESH send failed with HTTP 417, event SEND, code 12: Unregistered to address');
});

test('a v1 error body is understood too', () => {
  const error = errorFromResponse(
    'send',
    {
      status: 400,
      headers: {},
      body: json({ errorEvent: 'TRANSFER', errorCode: '06', errorDescription: 'MalformedControlFile' }),
    },
    [],
  );
  expect(error).toMatchObject({ status: 400, code: '06', event: 'TRANSFER', retryable: false });
});

test('403 is an authentication error, retryable because a fresh token cures stale or reused ones', () => {
  const error = errorFromResponse(
    'inbox',
    {
      status: 403,
      headers: {},
      body: json({ detail: [{ event: '', code: '', msg: 'Invalid Authentication Token' }] }),
    },
    [],
  );
  expect(error).toBeInstanceOf(MeshAuthenticationError);
  expect(error.retryable).toBe(true);
});

test.each([
  [425, true],
  [429, true],
  [502, true],
  [503, true],
  [504, true],
  [400, false],
  [404, false],
  [410, false],
  [417, false],
  [500, false],
])('HTTP %i is retryable: %s', (status, retryable) => {
  expect(errorFromResponse('download', { status, headers: {}, body: Buffer.alloc(0) }, []).retryable).toBe(
    retryable,
  );
});

test('mex-to and mex-subject never reach the error message, not even via a validation error echoing the input', () => {
  const error = errorFromResponse(
    'send',
    {
      status: 400,
      headers: {},
      body: json({
        detail: [
          {
            type: 'string_too_long',
            loc: ['header', 'mex-subject'],
            msg: `bad value ${subject.toUpperCase()} for ${to}`,
            input: subject,
          },
        ],
        body: subject,
      }),
    },
    [to, subject],
  );
  expect(error.message).toBe(
    'MESH send failed with HTTP 400: header.mex-subject: bad value [redacted] for [redacted]',
  );
  expect(JSON.stringify(error)).not.toContain('Jane');
});

test('any GPPROVIDER address is redacted even when the caller did not name it', () => {
  expect(redact('no match for GPPROVIDER_9000000017_19700101_JONES here', [])).toBe(
    'no match for [redacted] here',
  );
});

test('Retry-After is read as seconds or as an HTTP date', () => {
  expect(parseRetryAfter('2')).toBe(2000);
  expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:05 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(
    5000,
  );
  expect(parseRetryAfter(undefined)).toBeUndefined();
  expect(parseRetryAfter('soon')).toBeUndefined();
  const error = errorFromResponse(
    'inbox',
    { status: 429, headers: { 'retry-after': '3' }, body: Buffer.alloc(0) },
    [],
  );
  expect(error.retryAfterMs).toBe(3000);
});
