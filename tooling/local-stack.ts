/**
 * `npm start`: the whole local stack on embedded defaults, on loopback. Ctrl-C or SIGTERM stops everything.
 * Ports are fixed so the README's URLs work; each can be moved with an environment variable.
 */
import fs from 'node:fs';
import path from 'node:path';
import { bootstrap } from './bootstrap';
import { startMeshSandbox } from './mesh-sandbox';
import { PROJECT_TOOLS_DIR } from './paths';
import { tcpOpen, type ManagedProcess } from './processes';
import { startDevServer } from './temporal-dev-server';

/** Logs, the Temporal SQLite file and the MESH store; FEDREPORT_STATE_DIR moves them (tests run a second stack). */
const STATE_DIR = path.resolve(process.env.FEDREPORT_STATE_DIR ?? path.join(PROJECT_TOOLS_DIR, 'local-stack'));

interface PortSetting {
  env: string;
  fallback: number;
  what: string;
}

const PORTS = {
  temporal: { env: 'FEDREPORT_TEMPORAL_PORT', fallback: 7233, what: 'Temporal frontend (gRPC)' },
  temporalUi: { env: 'FEDREPORT_TEMPORAL_UI_PORT', fallback: 8233, what: 'Temporal Web UI' },
  mesh: { env: 'FEDREPORT_MESH_PORT', fallback: 8700, what: 'mesh-sandbox' },
} satisfies Record<string, PortSetting>;

async function portFor(setting: PortSetting): Promise<number> {
  const raw = process.env[setting.env];
  const port = raw === undefined ? setting.fallback : Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`${setting.env} must be a port number (1-65535), got "${raw}"`);
  }
  if (await tcpOpen(port)) {
    throw new Error(`port ${port} for the ${setting.what} is already in use: stop what holds it or set ${setting.env}`);
  }
  return port;
}

async function main(): Promise<void> {
  await bootstrap();
  fs.mkdirSync(STATE_DIR, { recursive: true });
  const log = (name: string): string => path.join(STATE_DIR, `${name}.log`);
  const running: ManagedProcess[] = [];
  let stopping = false;
  const stopAll = async (exitCode: number): Promise<never> => {
    if (!stopping) {
      stopping = true;
      process.stderr.write('\nstopping the local stack…\n');
      await Promise.all(running.map((p) => p.stop()));
      process.stderr.write('stopped.\n');
    }
    process.exit(exitCode);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  try {
    const [temporalPort, uiPort, meshPort] = await Promise.all([
      portFor(PORTS.temporal),
      portFor(PORTS.temporalUi),
      portFor(PORTS.mesh),
    ]);
    const [temporal, mesh] = await Promise.all([
      startDevServer({ port: temporalPort, uiPort, dbFile: path.join(STATE_DIR, 'temporal.sqlite'), logFile: log('temporal') }),
      startMeshSandbox({ port: meshPort, dataDir: path.join(STATE_DIR, 'mesh-store'), mailboxes: [], keepMessages: true, logFile: log('mesh-sandbox') }),
    ]);
    running.push(temporal.process, mesh.process);
    for (const proc of running) {
      proc.child.once('exit', (code) => {
        if (stopping) return;
        process.stderr.write(`${proc.name} exited unexpectedly (${code}); see ${STATE_DIR}\n`);
        void stopAll(1);
      });
    }
    process.stdout.write(
      [
        '',
        'fedreport local stack is up:',
        `  Temporal Web UI     ${temporal.uiUrl ?? '(headless)'}`,
        `  Temporal frontend   ${temporal.address}   (namespace ${temporal.namespace})`,
        `  MESH (mesh-sandbox) ${mesh.url}   (shared key ${mesh.sharedKey}, mailboxes X26ABC1-3, password "password")`,
        `  logs and state      ${path.relative(process.cwd(), STATE_DIR) || STATE_DIR}`,
        '',
        'Press Ctrl-C to stop.',
        '',
      ].join('\n'),
    );
  } catch (error) {
    process.stderr.write(`npm start failed: ${error instanceof Error ? error.message : String(error)}\n`);
    await stopAll(1);
  }
}

void main();
