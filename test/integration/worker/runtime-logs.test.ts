/** The Temporal Runtime's own log lines (the SDK's and SDK Core's) reach the worker's pino logger, not stderr. */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../../../tooling/paths';

const PROBE = path.join(__dirname, 'support', 'runtime-log-probe.ts');

it('forwards Core and SDK log lines to pino, as JSON with the logger name, and prints none itself', async () => {
  const { stdout, stderr } = await promisify(execFile)(
    process.execPath,
    [path.join(PROJECT_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), PROBE],
    { cwd: PROJECT_ROOT, env: process.env, timeout: 60_000 },
  );
  const lines = stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  const fromRuntime = lines.filter((line) => line.component === 'temporal');
  expect(fromRuntime.some((line) => line.sdkComponent === 'core')).toBe(true);
  expect(fromRuntime.some((line) => line.sdkComponent === 'worker')).toBe(true);
  expect(fromRuntime.every((line) => line.name === 'runtime-log-probe' && typeof line.msg === 'string')).toBe(
    true,
  );
  expect(stderr).not.toMatch(/sdkComponent|\[(TRACE|DEBUG|INFO|WARN|ERROR)\]/);
});
