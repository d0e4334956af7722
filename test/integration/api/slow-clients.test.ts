/**
 * A slow-loris client (headers never finished, or a body trickled a byte at a time, each keeping the socket busy so
 * no idle timeout fires) is cut off at the header or request deadline with a 408 in the shared shape, and starts
 * nothing.
 */
import crypto from 'node:crypto';
import net from 'node:net';
import type { Client } from '@temporalio/client';
import { encounterWorkflowId } from '../../../workflows/encounter-identity';
import {
  API_TOKEN,
  encryptingClient,
  startTestApi,
  testKeyring,
  workflowExists,
  type TestApi,
} from './support';

const TIMEOUTS = { headersMs: 500, requestMs: 1_500, keepAliveMs: 5_000, idleMs: 10_000 };
/** Node checks the deadlines on a timer; the answer may come up to one check later. */
const SLACK_MS = 1_500;

let client: Client;
let api: TestApi;

beforeAll(async () => {
  client = await encryptingClient(testKeyring());
  api = await startTestApi({ client, timeouts: TIMEOUTS });
});

afterAll(async () => {
  await api.close();
  await client.connection.close();
});

interface SlowExchange {
  elapsedMs: number;
  answer: string;
}

/** Sends `head` at once, then `trickle` one byte per 100 ms until the server closes the connection (or 15 s pass). */
function slowClient(head: string, trickle: string): Promise<SlowExchange> {
  const { port } = new URL(api.url);
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket = net.connect(Number(port), '127.0.0.1');
    const received: Buffer[] = [];
    let sent = 0;
    const timer = setInterval(() => {
      if (sent < trickle.length && socket.writable) socket.write(trickle[sent++]!);
    }, 100);
    const giveUp = setTimeout(
      () => socket.destroy(new Error('the server never cut the slow client off')),
      15_000,
    );
    socket.on('connect', () => socket.write(head));
    socket.on('data', (chunk) => received.push(chunk));
    socket.on('error', (error) => {
      clearInterval(timer);
      clearTimeout(giveUp);
      reject(error);
    });
    socket.on('close', () => {
      clearInterval(timer);
      clearTimeout(giveUp);
      resolve({ elapsedMs: performance.now() - started, answer: Buffer.concat(received).toString('utf8') });
    });
  });
}

const answerBody = (answer: string): unknown => JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4));

describe('slow clients', () => {
  it('cuts off a client whose headers never finish at the header deadline', async () => {
    const encounterId = crypto.randomUUID();
    const { elapsedMs, answer } = await slowClient(
      `POST /v1/encounters/${encounterId}/events HTTP/1.1\r\nHost: 127.0.0.1\r\n`,
      'X-Slow: ' + 'a'.repeat(200),
    );
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(answerBody(answer)).toMatchObject({ error: 'invalid_request', issues: [{ field: 'request' }] });
    expect(elapsedMs).toBeLessThan(TIMEOUTS.headersMs + SLACK_MS);
  });

  it('cuts off a client that trickles its body at the request deadline, starting nothing', async () => {
    const encounterId = crypto.randomUUID();
    const body = JSON.stringify({ encounterId, padding: 'a'.repeat(200) });
    const { elapsedMs, answer } = await slowClient(
      `POST /v1/encounters/${encounterId}/events HTTP/1.1\r\nHost: 127.0.0.1\r\n` +
        `Authorization: Bearer ${API_TOKEN}\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${body.length}\r\n\r\n`,
      body,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(elapsedMs).toBeLessThan(TIMEOUTS.requestMs + SLACK_MS);
    expect(await workflowExists(client, encounterWorkflowId(encounterId))).toBe(false);
  });
});
