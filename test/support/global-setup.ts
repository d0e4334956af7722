import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../tooling/paths';
import { startMeshSandbox } from '../../tooling/mesh-sandbox';
import { startDevServer } from '../../tooling/temporal-dev-server';
import { TEST_MESH_MAILBOXES, exportMeshSandboxToTests } from './mesh';
import type { ManagedProcess } from '../../tooling/processes';

/** Where the servers of a test run write their logs (git-ignored); CI keeps them when a test fails. */
export const SERVER_LOG_DIR = path.join(PROJECT_ROOT, 'test-results', 'servers');

declare global {
  // Handles shared with global-teardown (same jest parent process).
  var __fedreportTestServers: ManagedProcess[] | undefined;
}

export default async function globalSetup(): Promise<void> {
  fs.mkdirSync(SERVER_LOG_DIR, { recursive: true });
  const started: ManagedProcess[] = [];
  globalThis.__fedreportTestServers = started;

  const [temporal, mesh] = await Promise.all([
    startDevServer({ uiPort: null, logFile: path.join(SERVER_LOG_DIR, 'temporal-dev-server.log') }),
    startMeshSandbox({
      dataDir: path.join(PROJECT_ROOT, 'test-results', 'mesh-store'),
      mailboxes: TEST_MESH_MAILBOXES,
      logFile: path.join(SERVER_LOG_DIR, 'mesh-sandbox.log'),
    }),
  ]);
  started.push(temporal.process, mesh.process);
  process.env.FEDREPORT_TEST_TEMPORAL_ADDRESS = temporal.address;
  process.env.FEDREPORT_TEST_TEMPORAL_NAMESPACE = temporal.namespace;
  exportMeshSandboxToTests(mesh);
}
