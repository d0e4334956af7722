import { parseMeshConfig, type MeshConfig, type MeshConfigInput } from '../../integrations/mesh/config';
import {
  addMeshSandboxMailbox,
  MESH_SANDBOX_MAILBOX_PASSWORD,
  resetMeshSandbox,
  type MeshSandbox,
  type MeshSandboxLocation,
} from '../../tooling/mesh-sandbox';

/**
 * The one mesh-sandbox of a jest run is started by the global setup (test/support/global-setup.ts) with
 * `startMeshSandbox({ mailboxes: TEST_MESH_MAILBOXES, ... })` and handed to the test files through these variables
 * (set them with `exportMeshSandboxToTests`).
 */
export const TEST_MESH_ENV = {
  url: 'FEDREPORT_TEST_MESH_URL',
  sharedKey: 'FEDREPORT_TEST_MESH_SHARED_KEY',
  dataDir: 'FEDREPORT_TEST_MESH_DATA_DIR',
} as const;

/** Mailboxes every test may use: the sandbox's packaged three (X26ABC1/2 in ODS X26, X26ABC3 in X27). */
export const TEST_MESH_MAILBOXES: string[] = ['X26ABC1', 'X26ABC2', 'X26ABC3'];

/** Called by the global setup after startMeshSandbox: jest workers inherit the variables. */
export function exportMeshSandboxToTests(sandbox: MeshSandbox): void {
  process.env[TEST_MESH_ENV.url] = sandbox.url;
  process.env[TEST_MESH_ENV.sharedKey] = sandbox.sharedKey;
  process.env[TEST_MESH_ENV.dataDir] = sandbox.dataDir;
}

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(
      `${name} is not set: the jest global setup starts mesh-sandbox and sets it (run tests through jest.config.js).`,
    );
  }
  return value;
}

/** The sandbox of this jest run. */
export function testMeshSandbox(): MeshSandboxLocation & { sharedKey: string } {
  return {
    url: requiredEnv(TEST_MESH_ENV.url),
    dataDir: requiredEnv(TEST_MESH_ENV.dataDir),
    sharedKey: requiredEnv(TEST_MESH_ENV.sharedKey),
  };
}

/** A full client configuration for one sandbox mailbox, with short timeouts and retries suited to tests. */
export function meshTestConfig(mailbox: string, overrides: Partial<MeshConfigInput> = {}): MeshConfig {
  const sandbox = testMeshSandbox();
  return parseMeshConfig({
    url: sandbox.url,
    mailbox,
    password: MESH_SANDBOX_MAILBOX_PASSWORD,
    sharedKey: sandbox.sharedKey,
    connectTimeoutMs: 2_000,
    readTimeoutMs: 10_000,
    retry: { maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 200 },
    ...overrides,
  });
}

/** Empties one mailbox or, without an argument, every mailbox of the sandbox. */
export function resetMesh(mailbox?: string): Promise<void> {
  return resetMeshSandbox(testMeshSandbox(), mailbox);
}

/**
 * Adds a mailbox (password `password`) to the running sandbox, e.g. a practice's mailbox a test's endpoint directory
 * names. Never one named after a GPPROVIDER address: the MESH router (docs/mesh-router.md) routes those.
 */
export function addTestMailbox(id: string): Promise<void> {
  return addMeshSandboxMailbox(testMeshSandbox(), id);
}

export interface InjectedReport {
  /** The mailbox whose inbox receives the report (the original sender). */
  mailbox: string;
  /** e.g. "EPL-151" (GPPROVIDER lookup failed) or "14" (undelivered). */
  code: string;
  description: string;
  workflowId: string;
  linkedMessageId?: string;
  localId?: string;
  subject?: string;
  /** `error` keeps code/description as given; `undeliverable` makes the sandbox's own "14" non-delivery report. */
  status?: 'error' | 'undeliverable';
}

/** Puts a MESH REPORT message into a mailbox through the sandbox's admin endpoint; returns its message id. */
export async function injectReport(report: InjectedReport): Promise<string> {
  const response = await fetch(`${testMeshSandbox().url}/messageexchange/admin/report`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      mailbox_id: report.mailbox,
      code: report.code,
      description: report.description,
      workflow_id: report.workflowId,
      linked_message_id: report.linkedMessageId,
      local_id: report.localId,
      subject: report.subject,
      status: report.status ?? 'error',
    }),
  });
  if (!response.ok) throw new Error(`mesh-sandbox admin/report answered ${response.status}`);
  return ((await response.json()) as { message_id: string }).message_id;
}

/** Appends a status event to a message, e.g. `undeliverable`, which makes it gone (410) for its recipient. */
export async function setMessageStatus(messageId: string, status: 'undeliverable' | 'error'): Promise<void> {
  const response = await fetch(`${testMeshSandbox().url}/admin/message/${messageId}/event`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ status }),
  });
  if (!response.ok) throw new Error(`mesh-sandbox admin/message event answered ${response.status}`);
}
