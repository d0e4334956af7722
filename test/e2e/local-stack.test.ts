import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../tooling/paths';
import { freePort, tcpOpen } from '../../tooling/processes';

/** Runs `npm start`'s entry point the way a newcomer would, on free ports so it never clashes with a dev's stack. */
describe('npm start (local stack)', () => {
  it('prints the UI and MESH URLs within 30 s, both answer, and SIGINT leaves no process or port behind', async () => {
    const ports = { temporal: await freePort(), ui: await freePort(), mesh: await freePort() };
    const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fedreport-stack-'));
    const child = spawn(process.execPath, [require.resolve('tsx/cli'), 'tooling/local-stack.ts'], {
      cwd: PROJECT_ROOT,
      env: {
        ...process.env,
        FEDREPORT_TEMPORAL_PORT: String(ports.temporal),
        FEDREPORT_TEMPORAL_UI_PORT: String(ports.ui),
        FEDREPORT_MESH_PORT: String(ports.mesh),
        FEDREPORT_STATE_DIR: stateDir,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));

    const started = Date.now();
    while (!output.includes('Press Ctrl-C to stop.') && Date.now() - started < 30_000 && child.exitCode === null) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(output).toContain(`Temporal Web UI     http://127.0.0.1:${ports.ui}`);
    expect(output).toContain(`MESH (mesh-sandbox) http://127.0.0.1:${ports.mesh}`);
    expect((await fetch(`http://127.0.0.1:${ports.ui}/`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${ports.mesh}/health`)).status).toBe(200);

    child.kill('SIGINT');
    expect(await exited).toBe(0);
    for (const port of Object.values(ports)) expect(await tcpOpen(port)).toBe(false);
    fs.rmSync(stateDir, { recursive: true, force: true });
  }, 90_000);
});
