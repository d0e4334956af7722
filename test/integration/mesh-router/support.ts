/**
 * Harness of the MESH router tests: a router in front of the jest run's mesh-sandbox and PDS double (the example
 * federation's directory unless a test gives its own), MESH clients that go through it, and a reader for the
 * REPORT MESH puts in a sender's inbox.
 */
import { createMeshClient, type MeshClient } from '../../../integrations/mesh/client';
import type { MeshIncomingMessage } from '../../../integrations/mesh/messages';
import {
  startMeshRouter,
  type MeshRouter,
  type MeshRouterOptions,
} from '../../../simulators/mesh-router/server';
import { exampleEndpointDirectory } from '../../../tooling/example-federation';
import { MESH_SANDBOX_MAILBOX_PASSWORD } from '../../../tooling/mesh-sandbox';
import { meshTestConfig, testMeshSandbox } from '../../support/mesh';
import { testPdsUrl } from '../../support/servers';
import {
  runPythonMeshPeer,
  type PythonMeshClientSpec,
  type PythonSendRequest,
} from '../../support/python/mesh-peer';

const routers: MeshRouter[] = [];
const clients: MeshClient[] = [];

export async function startTestRouter(options: Partial<MeshRouterOptions> = {}): Promise<MeshRouter> {
  const router = await startMeshRouter({
    sandboxUrl: testMeshSandbox().url,
    pdsUrl: testPdsUrl(),
    directory: exampleEndpointDirectory(),
    ...options,
  });
  routers.push(router);
  return router;
}

/** fedreport's MESH client for `mailbox`, talking to MESH through the router. */
export function routedClient(router: MeshRouter, mailbox: string): MeshClient {
  const client = createMeshClient(meshTestConfig(mailbox, { url: router.url }));
  clients.push(client);
  return client;
}

/** NHS England's mesh-client for `mailbox`, talking to MESH through the router. */
export function routedPythonClient(router: MeshRouter, mailbox: string): PythonMeshClientSpec {
  return {
    url: router.url,
    mailbox,
    password: MESH_SANDBOX_MAILBOX_PASSWORD,
    shared_key: testMeshSandbox().sharedKey,
  };
}

/** mesh-client sends from `mailbox` through the router; returns the MESH message id. */
export async function sendWithMeshClient(
  router: MeshRouter,
  mailbox: string,
  request: Omit<PythonSendRequest, 'op' | 'client'>,
): Promise<string> {
  const sent = await runPythonMeshPeer({
    op: 'send',
    client: routedPythonClient(router, mailbox),
    ...request,
  });
  return sent.message_id;
}

/** mesh-client downloads and acknowledges one message from `mailbox` through the router. */
export async function readWithMeshClient(router: MeshRouter, mailbox: string, messageId: string) {
  const received = await runPythonMeshPeer({
    op: 'receive',
    client: routedPythonClient(router, mailbox),
    message_id: messageId,
    acknowledge: true,
  });
  return {
    type: received.message_type,
    headers: received.headers,
    body: Buffer.from(received.body_b64, 'base64'),
  };
}

export const closeRouters = (): Promise<unknown> =>
  Promise.all([...clients.splice(0).map((c) => c.close()), ...routers.splice(0).map((r) => r.close())]);

/** Downloads and acknowledges every message waiting in the client's inbox. */
export async function drainInbox(client: MeshClient): Promise<MeshIncomingMessage[]> {
  const messages: MeshIncomingMessage[] = [];
  for await (const page of client.inboxPages()) {
    for (const id of page) {
      messages.push(await client.download(id));
      await client.acknowledge(id);
    }
  }
  return messages;
}

/** Waits for the REPORT about `linkedMessageId` in the client's inbox; other messages read meanwhile are dropped. */
export async function waitForReport(
  client: MeshClient,
  linkedMessageId: string,
  timeoutMs = 15_000,
): Promise<MeshIncomingMessage> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const report = (await drainInbox(client)).find(
      (m) => m.messageType === 'REPORT' && m.linkedMessageId === linkedMessageId,
    );
    if (report) return report;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no REPORT for message ${linkedMessageId} within ${timeoutMs} ms`);
}
