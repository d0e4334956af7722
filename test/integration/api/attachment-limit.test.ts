/**
 * ITK3's 5 MB at the API (no worker: a started workflow is all a 202 promises): a save whose attachments hold more
 * than 5 MiB decoded, in one attachment or several, is refused with 413 and a reason naming both sizes, starting
 * nothing; one of exactly 5 MiB is taken.
 */
import type { Client } from '@temporalio/client';
import { MAX_ATTACHMENT_BYTES } from '../../../domain/snapshot';
import { encounterWorkflowId } from '../../../workflows/encounter-identity';
import {
  API_TOKEN,
  encryptingClient,
  exampleSnapshot,
  startTestApi,
  terminateStarted,
  testKeyring,
  workflowExists,
  type TestApi,
} from './support';

let client: Client;
let api: TestApi;
const started = new Set<string>();

beforeAll(async () => {
  client = await encryptingClient(testKeyring());
  api = await startTestApi({ client });
});

afterAll(async () => {
  await terminateStarted(client, started);
  await api.close();
  await client.connection.close();
});

function withAttachments(...sizes: number[]): Record<string, any> {
  const snapshot = exampleSnapshot();
  snapshot.consultation.attachments = sizes.map((size, i) => ({
    id: `scan-${i + 1}`,
    title: `Scan ${i + 1}`,
    contentType: 'application/pdf',
    data: Buffer.alloc(size, i + 1).toString('base64'),
  }));
  return snapshot;
}

async function submit(snapshot: Record<string, any>): Promise<{ status: number; body: any }> {
  started.add(encounterWorkflowId(snapshot.encounterId));
  const response = await fetch(`${api.url}/v1/encounters/${snapshot.encounterId}/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(snapshot),
  });
  return { status: response.status, body: await response.json() };
}

const tooLarge = (bytes: number) => ({
  status: 413,
  body: {
    error: 'attachments_too_large',
    message: "the consultation's attachments are too large to send",
    issues: [
      {
        field: 'consultation.attachments',
        reason:
          `hold ${bytes} bytes once decoded, more than the 5242880 bytes (5 MiB) one report may carry ` +
          '(ITK3 recommends at most 5 MB per message): send fewer or smaller ones',
      },
    ],
  },
});

it('413 for attachments over 5 MiB together, starting nothing', async () => {
  const snapshot = withAttachments(3 * 1024 * 1024, 2 * 1024 * 1024 + 1);
  expect(await submit(snapshot)).toEqual(tooLarge(MAX_ATTACHMENT_BYTES + 1));
  expect(await workflowExists(client, encounterWorkflowId(snapshot.encounterId))).toBe(false);
});

it('413, not a field too long, for one attachment over 5 MiB', async () => {
  const snapshot = withAttachments(5.5 * 1024 * 1024);
  expect(await submit(snapshot)).toEqual(tooLarge(5.5 * 1024 * 1024));
  expect(await workflowExists(client, encounterWorkflowId(snapshot.encounterId))).toBe(false);
});

it('accepts attachments of exactly 5 MiB', async () => {
  expect((await submit(withAttachments(4 * 1024 * 1024, 1024 * 1024))).status).toBe(202);
});
