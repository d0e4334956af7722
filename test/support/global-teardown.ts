import fs from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  const servers = globalThis.__fedreportTestServers ?? [];
  await Promise.all([...servers.map((server) => server.stop()), ...(globalThis.__fedreportTestStops ?? []).map((stop) => stop())]);
  // Server logs stay in test-results/servers for CI artefacts; per-run stores go.
  if (process.env.FEDREPORT_TEST_RUN_DIR) fs.rmSync(process.env.FEDREPORT_TEST_RUN_DIR, { recursive: true, force: true });
}
