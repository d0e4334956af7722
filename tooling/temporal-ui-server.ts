/**
 * The Temporal Web UI for an external Temporal server (the dev server carries its own): Temporal's ui-server, built
 * from the Go module proxy once per version (the version the pinned CLI embeds), decoding payloads through the codec
 * server.
 */
import fs from 'node:fs';
import path from 'node:path';
import { goInstall } from './go-install';
import { cacheRoot } from './paths';
import { httpOk, startProcess, waitUntilReady, type ManagedProcess } from './processes';
import { TOOL_VERSIONS } from './versions';

export interface TemporalUiOptions {
  temporalAddress: string;
  namespace: string;
  port: number;
  /** The codec endpoint the operator's browser calls (token included). */
  codecEndpoint: string;
  /** Its config is written here. */
  stateDir: string;
  logFile: string;
}

export function temporalUiServerPath(): string {
  return path.join(cacheRoot(), `temporal-ui-server-${TOOL_VERSIONS.temporalUiServer}`, 'server');
}

export async function ensureTemporalUiServer(): Promise<string> {
  const binary = temporalUiServerPath();
  if (fs.existsSync(binary)) return binary;
  await goInstall({
    title: `Temporal Web UI server v${TOOL_VERSIONS.temporalUiServer}`,
    packages: [`github.com/temporalio/ui-server/v2/cmd/server@v${TOOL_VERSIONS.temporalUiServer}`],
    targetDir: path.dirname(binary),
  });
  return binary;
}

export async function startTemporalUi(
  options: TemporalUiOptions,
): Promise<{ url: string; process: ManagedProcess }> {
  const binary = await ensureTemporalUiServer();
  const url = `http://127.0.0.1:${options.port}`;
  const configDir = path.join(options.stateDir, 'temporal-ui-config');
  fs.mkdirSync(configDir, { recursive: true });
  const config = {
    temporalGrpcAddress: options.temporalAddress,
    host: '127.0.0.1',
    port: options.port,
    enableUi: true,
    defaultNamespace: options.namespace,
    notifyOnNewVersion: false,
    cors: { allowOrigins: [url, `http://localhost:${options.port}`] },
    codec: { endpoint: options.codecEndpoint },
  };
  // The loader reads base.yaml, then <env>.yaml; JSON is YAML.
  fs.writeFileSync(path.join(configDir, 'base.yaml'), '{}\n');
  fs.writeFileSync(path.join(configDir, 'cluster.yaml'), JSON.stringify(config, null, 2));
  const proc = startProcess({
    name: 'Temporal Web UI',
    command: binary,
    args: ['--root', configDir, '--config', '.', '--env', 'cluster', 'start'],
    logFile: options.logFile,
  });
  await waitUntilReady(proc, () => httpOk(url), 30_000, options.logFile);
  return { url, process: proc };
}
