/**
 * Smoke test of the local MESH stack: the sandbox the test run started enforces full HMAC authentication and carries
 * a message from one mailbox to another over plain HTTP, and its reset/addMailbox helpers do what tests rely on.
 * Deliberately raw fetch (plus the production token code), independent of fedreport's MESH client.
 */
import fs from 'node:fs';
import path from 'node:path';
import { buildMeshAuthToken } from '../../integrations/mesh/auth';
import { MESH_SANDBOX_MAILBOX_PASSWORD } from '../../tooling/mesh-sandbox';
import { addTestMailbox, resetMesh, testMeshSandbox } from '../support/mesh';

const V2 = 'application/vnd.mesh.v2+json';

async function meshRequest(
  mailbox: string,
  method: string,
  route: string,
  init: { headers?: Record<string, string>; body?: string; sharedKey?: string } = {},
): Promise<Response> {
  const sandbox = testMeshSandbox();
  const authorization = buildMeshAuthToken({
    mailbox,
    password: MESH_SANDBOX_MAILBOX_PASSWORD,
    sharedKey: init.sharedKey ?? sandbox.sharedKey,
  });
  return fetch(`${sandbox.url}/messageexchange/${mailbox}${route}`, {
    method,
    headers: { accept: V2, authorization, ...init.headers },
    body: init.body,
  });
}

async function send(from: string, to: string, body: string): Promise<string> {
  const response = await meshRequest(from, 'POST', '/outbox', {
    headers: {
      'mex-to': to,
      'mex-workflowid': 'TEST_WORKFLOW',
      'mex-localid': 'smoke-1',
      'content-type': 'text/plain',
    },
    body,
  });
  expect(response.status).toBe(202);
  return ((await response.json()) as { message_id: string }).message_id;
}

async function inbox(mailbox: string): Promise<string[]> {
  const response = await meshRequest(mailbox, 'GET', '/inbox');
  expect(response.status).toBe(200);
  return ((await response.json()) as { messages: string[] }).messages;
}

beforeEach(() => resetMesh());

test('a message sent by X26ABC1 is listed, downloaded intact and acknowledged by X26ABC2', async () => {
  const messageId = await send('X26ABC1', 'X26ABC2', 'hello from X26ABC1');

  expect(await inbox('X26ABC2')).toEqual([messageId]);

  const download = await meshRequest('X26ABC2', 'GET', `/inbox/${messageId}`);
  expect(download.status).toBe(200);
  expect(download.headers.get('mex-from')).toBe('X26ABC1');
  expect(download.headers.get('mex-messagetype')).toBe('DATA');
  expect(await download.text()).toBe('hello from X26ABC1');

  const ack = await meshRequest('X26ABC2', 'PUT', `/inbox/${messageId}/status/acknowledged`);
  expect(ack.status).toBe(200);
  expect(await inbox('X26ABC2')).toEqual([]);
});

test('the sandbox checks the HMAC: a token made with another shared key is refused with 403', async () => {
  const response = await meshRequest('X26ABC1', 'GET', '/inbox', { sharedKey: 'NotTheSandboxKey' });
  expect(response.status).toBe(403);
});

test('reset empties inboxes for good: a later full reset does not reload old messages from disk', async () => {
  await send('X26ABC1', 'X26ABC2', 'to be cleared');
  await resetMesh('X26ABC2');
  expect(await inbox('X26ABC2')).toEqual([]);

  await resetMesh();
  expect(await inbox('X26ABC2')).toEqual([]);
});

test('a mailbox added while the sandbox runs can receive, and messages already waiting elsewhere survive', async () => {
  const waiting = await send('X26ABC1', 'X26ABC2', 'waiting');
  const newMailbox = `X26T${Date.now().toString(36).toUpperCase()}`;

  await addTestMailbox(newMailbox);
  const delivered = await send('X26ABC1', newMailbox, 'for the new mailbox');

  expect(await inbox(newMailbox)).toEqual([delivered]);
  expect(await inbox('X26ABC2')).toEqual([waiting]);

  // Leave the shared sandbox as it was: without its directory the mailbox is gone after the next full reset.
  fs.rmSync(path.join(testMeshSandbox().dataDir, newMailbox), { recursive: true, force: true });
  await resetMesh();
});
