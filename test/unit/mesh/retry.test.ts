import { MeshConnectionError, MeshHttpError } from '../../../integrations/mesh/errors';
import { retryDelayMs, withRetries } from '../../../integrations/mesh/retry';

const policy = { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1_000 };
const refused = () =>
  new MeshConnectionError('inbox', 'refused', false, { cause: new Error('ECONNREFUSED') });

test('backoff grows exponentially with full jitter and stays under the cap', () => {
  const busy = new MeshHttpError('inbox', { status: 503 });
  expect(retryDelayMs(policy, 1, busy, () => 1)).toBe(100);
  expect(retryDelayMs(policy, 3, busy, () => 1)).toBe(400);
  expect(retryDelayMs(policy, 10, busy, () => 1)).toBe(1_000);
  expect(retryDelayMs(policy, 3, busy, () => 0)).toBe(0);
});

test('Retry-After wins over backoff, and one longer than the policy allows ends the retries', () => {
  expect(retryDelayMs(policy, 1, new MeshHttpError('inbox', { status: 429, retryAfterMs: 700 }))).toBe(700);
  expect(
    retryDelayMs(policy, 1, new MeshHttpError('inbox', { status: 429, retryAfterMs: 5_000 })),
  ).toBeUndefined();
});

test('a retryable failure is retried until the attempts run out, and the error says how many were made', async () => {
  const fast = { ...policy, baseDelayMs: 1 };
  let calls = 0;
  const failure = withRetries(
    fast,
    () => {
      calls += 1;
      return Promise.reject(refused());
    },
    (e) => e.retryable,
  );
  await expect(failure).rejects.toMatchObject({ failure: 'refused', attempts: 3 });
  expect(calls).toBe(3);
});

test('a failure the caller may not retry is thrown at once', async () => {
  let calls = 0;
  const failure = withRetries(
    policy,
    () => {
      calls += 1;
      return Promise.reject(new MeshHttpError('send', { status: 417, code: '12' }));
    },
    (e) => e.retryable,
  );
  await expect(failure).rejects.toMatchObject({ status: 417, attempts: 1 });
  expect(calls).toBe(1);
});

test('success after a transient failure returns the result', async () => {
  let calls = 0;
  const result = await withRetries(
    { ...policy, baseDelayMs: 1 },
    () => (++calls < 2 ? Promise.reject(refused()) : Promise.resolve('ok')),
    () => true,
  );
  expect(result).toBe('ok');
});
