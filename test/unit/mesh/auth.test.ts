import { buildMeshAuthToken, meshAuthTimestamp } from '../../../integrations/mesh/auth';

const credentials = { mailbox: 'X26ABC1', password: 'password', sharedKey: 'TestKey' };

test('matches the NHSMESH test vector of domain-reference §2.2', () => {
  const token = buildMeshAuthToken(credentials, {
    nonce: '3f2b7c1e-0000-4000-8000-000000000001',
    nonceCount: 0,
    timestamp: '202401011200',
  });
  expect(token).toBe(
    'NHSMESH X26ABC1:3f2b7c1e-0000-4000-8000-000000000001:0:202401011200:5a6bc5b7c03ad029a75100cb1195f7c658923250d2a3cf2edbbfe33eb4d570b5',
  );
});

test('every token is new (MESH accepts a token once) and never shows the password or the key', () => {
  const first = buildMeshAuthToken(credentials);
  const second = buildMeshAuthToken(credentials);
  expect(first).not.toBe(second);
  expect(first).toMatch(/^NHSMESH X26ABC1:[0-9a-f-]{36}:0:\d{12}:[0-9a-f]{64}$/);
  expect(first).not.toContain('password');
  expect(first).not.toContain('TestKey');
});

test('the mailbox is upper-cased in the token, as MESH mailbox ids are', () => {
  expect(buildMeshAuthToken({ ...credentials, mailbox: 'x26abc1' })).toMatch(/^NHSMESH X26ABC1:/);
});

test('timestamps are UTC yyyyMMddHHmm whatever the local zone', () => {
  expect(meshAuthTimestamp(new Date('2024-01-01T23:59:30-05:00'))).toBe('202401020459');
});
