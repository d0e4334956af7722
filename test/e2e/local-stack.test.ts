import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../tooling/paths';
import { freePort, tcpOpen } from '../../tooling/processes';

const PORT_VARIABLES = [
  'FEDREPORT_TEMPORAL_PORT',
  'FEDREPORT_TEMPORAL_UI_PORT',
  'FEDREPORT_MESH_PORT',
  'FEDREPORT_PDS_PORT',
  'FEDREPORT_API_PORT',
  'FEDREPORT_CODEC_SERVER_PORT',
  'FEDREPORT_SIMULATOR_PORT',
];

/**
 * `npm start` then `npm run demo`, the way a newcomer runs them (on free ports so a developer's own stack is left
 * alone): the stack comes up, a demo consultation reaches acknowledged, and SIGINT leaves nothing behind.
 */
describe('npm start (local stack) and npm run demo', () => {
  it('serves the UI and the hook, takes demo consultations to acknowledged, and stops cleanly', async () => {
    const ports = Object.fromEntries(await Promise.all(PORT_VARIABLES.map(async (v) => [v, String(await freePort())] as const)));
    const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fedreport-stack-'));
    const env = { ...process.env, ...ports, FEDREPORT_STATE_DIR: stateDir, FEDREPORT_LOCAL_QUIET_PERIOD: '3s' };
    const child = spawn(process.execPath, [require.resolve('tsx/cli'), 'tooling/local-stack.ts'], {
      cwd: PROJECT_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      const started = Date.now();
      while (!output.includes('Press Ctrl-C to stop.') && Date.now() - started < 90_000 && child.exitCode === null) {
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(output).toContain(`Temporal Web UI     http://127.0.0.1:${ports.FEDREPORT_TEMPORAL_UI_PORT}`);
      expect(output).toContain(`Hook API            http://127.0.0.1:${ports.FEDREPORT_API_PORT}`);
      expect((await fetch(`http://127.0.0.1:${ports.FEDREPORT_TEMPORAL_UI_PORT}/`)).status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${ports.FEDREPORT_API_PORT}/health`)).status).toBe(200);

      const demo = spawnSync(process.execPath, [require.resolve('tsx/cli'), 'tooling/demo.ts'], {
        cwd: PROJECT_ROOT,
        env: { ...env, FEDREPORT_DEMO_TIMEOUT_MS: '90000' },
        encoding: 'utf8',
        timeout: 120_000,
      });
      expect(demo.stderr).toBe('');
      expect(demo.status).toBe(0);
      const finalLine = demo.stdout.trim().split('\n').filter((l) => l.startsWith('[')).pop() ?? '';
      expect(finalLine).toMatch(/temporary-resident: acknowledged v1/);
      expect(finalLine).toMatch(/regular-registration: not-required/);
    } finally {
      child.kill('SIGINT');
      expect(await exited).toBe(0);
    }
    for (const port of Object.values(ports)) expect(await tcpOpen(Number(port))).toBe(false);
    fs.rmSync(stateDir, { recursive: true, force: true });
  }, 240_000);
});
