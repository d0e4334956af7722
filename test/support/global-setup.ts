import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../tooling/paths';
import { startPdsDouble } from '../../simulators/pds/server';
import { exampleFederationMailboxes } from '../../tooling/example-federation';
import { startMeshSandbox } from '../../tooling/mesh-sandbox';
import { startDevServer } from '../../tooling/temporal-dev-server';
import { startTestPostgres } from './databases';
import { TEST_MESH_MAILBOXES, exportMeshSandboxToTests } from './mesh';
import type { ManagedProcess } from '../../tooling/processes';

/** Where the servers of a test run write their logs (git-ignored); CI keeps them when a test fails. */
export const SERVER_LOG_DIR = path.join(PROJECT_ROOT, 'test-results', 'servers');

declare global {
  // Handles shared with global-teardown (same jest parent process).
  var __fedreportTestServers: ManagedProcess[] | undefined;
  var __fedreportTestStops: (() => Promise<void>)[] | undefined;
}

export default async function globalSetup(): Promise<void> {
  fs.mkdirSync(SERVER_LOG_DIR, { recursive: true });
  const started: ManagedProcess[] = [];
  globalThis.__fedreportTestServers = started;

  // Per-run state, so parallel runs in one checkout never share a database or a MESH store.
  const runDir = path.join(PROJECT_ROOT, 'test-results', 'runs', String(process.pid));
  fs.rmSync(runDir, { recursive: true, force: true });
  fs.mkdirSync(runDir, { recursive: true });
  // A file database, so the PHI scan can read exactly what the server stored.
  const temporalDbFile = path.join(runDir, 'temporal-history.sqlite');
  const [temporal, mesh, pds, postgres] = await Promise.all([
    startDevServer({ uiPort: null, dbFile: temporalDbFile, logFile: path.join(SERVER_LOG_DIR, 'temporal-dev-server.log') }),
    startMeshSandbox({
      dataDir: path.join(runDir, 'mesh-store'),
      mailboxes: [...TEST_MESH_MAILBOXES, ...exampleFederationMailboxes()],
      logFile: path.join(SERVER_LOG_DIR, 'mesh-sandbox.log'),
    }),
    startPdsDouble(),
    startTestPostgres(SERVER_LOG_DIR),
  ]);
  globalThis.__fedreportTestStops = [
    () => pds.close(),
    () => postgres.stop(),
  ];
  process.env.FEDREPORT_TEST_RUN_DIR = runDir;
  process.env.FEDREPORT_TEST_PDS_URL = pds.url;
  process.env.FEDREPORT_TEST_TEMPORAL_DB = temporalDbFile;
  started.push(temporal.process, mesh.process);
  process.env.FEDREPORT_TEST_TEMPORAL_ADDRESS = temporal.address;
  process.env.FEDREPORT_TEST_TEMPORAL_NAMESPACE = temporal.namespace;
  exportMeshSandboxToTests(mesh);
}
