export default async function globalTeardown(): Promise<void> {
  const servers = globalThis.__fedreportTestServers ?? [];
  await Promise.all(servers.map((server) => server.stop()));
}
