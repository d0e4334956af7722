/**
 * Requests are counted per credential, not per address: one token over its budget gets 429 with Retry-After in the
 * shared shape, while another token from the same address, and the health and readiness checks, still pass.
 */
import crypto from 'node:crypto';
import type { Client } from '@temporalio/client';
import { API_TOKEN, encryptingClient, startTestApi, testKeyring, type TestApi } from './support';

const OTHER_TOKEN = 'other-test-token-0123456789';
const LIMIT = { max: 3, windowMs: 60_000 };

let client: Client;
let api: TestApi;

beforeAll(async () => {
  client = await encryptingClient(testKeyring());
  api = await startTestApi({
    client,
    auth: {
      mode: 'bearer',
      tokens: [
        { name: 'first', token: API_TOKEN, practices: '*' },
        { name: 'second', token: OTHER_TOKEN, practices: '*' },
      ],
    },
    rateLimit: LIMIT,
  });
});

afterAll(async () => {
  await api.close();
  await client.connection.close();
});

/** An invalid save (refused before Temporal is asked), so only the limit decides between 422 and 429. */
const invalidSave = (token: string) =>
  fetch(`${api.url}/v1/encounters/${crypto.randomUUID()}/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: '{}',
  });

describe('rate limit per credential', () => {
  it('answers 429 with Retry-After once a token has used its budget, and only for that token', async () => {
    for (let i = 0; i < LIMIT.max; i++) expect((await invalidSave(API_TOKEN)).status).toBe(422);

    const limited = await invalidSave(API_TOKEN);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(LIMIT.windowMs / 1000);
    expect(await limited.json()).toEqual({
      error: 'rate_limited',
      message: 'too many requests with this credential',
      issues: [
        {
          field: 'credential',
          reason: expect.stringMatching(/^allows 3 requests per 60 s; retry after \d+ s$/),
        },
      ],
    });

    expect((await invalidSave(OTHER_TOKEN)).status).toBe(422);
  });

  it('never limits the health and readiness checks', async () => {
    for (let i = 0; i < LIMIT.max + 2; i++) {
      expect((await fetch(`${api.url}/health`)).status).toBe(200);
      expect((await fetch(`${api.url}/ready`)).status).toBe(200);
    }
  });
});
