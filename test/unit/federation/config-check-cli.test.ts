/** `fedreport config check FILE` through commander, as main.ts runs it. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { registerEligibilityCommands } from '../../../client/cli/eligibility-commands';
import { PROJECT_ROOT } from '../../../tooling/paths';
import { runFedreportCli } from '../../support/cli';

async function run(...args: string[]): Promise<{ out: string; err: string; error?: unknown }> {
  const { stdout, stderr, error } = await runFedreportCli(registerEligibilityCommands, args);
  return { out: stdout, err: stderr, ...(error !== undefined && { error }) };
}

describe('fedreport config check', () => {
  it('summarises a valid file', async () => {
    const { out, error } = await run(
      'config',
      'check',
      path.join(PROJECT_ROOT, 'examples', 'federation.yaml'),
    );
    expect(error).toBeUndefined();
    expect(out).toContain('OK: settings version 1, 2 federation(s)');
    expect(out).toContain('Y90001 Riverside Medical Centre: mailbox X26ABC1, quiet period 3h, no cap');
    expect(out).toContain('Y91001 Northbrook Group Practice: mailbox X26NBK1, quiet period 1h30m, cap 1d');
  });

  it('lists each problem with its key and reason, then fails', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fedreport-config-check-'));
    const file = path.join(dir, 'bad.yaml');
    fs.writeFileSync(
      file,
      'version: 1\nfederations:\n  f:\n    name: F\n    practices:\n      Y90001: { name: A, meshMailbox: bad, quietPeriod: 0s }\n',
    );
    try {
      const { err, error } = await run('config', 'check', file);
      expect(err).toBe(
        '  federations.f.practices.Y90001.meshMailbox: must be a MESH mailbox id (5-20 upper-case letters or digits)\n' +
          '  federations.f.practices.Y90001.quietPeriod: must be between 1s and 7d\n',
      );
      expect((error as Error).message).toBe(`${file} has 2 problem(s)`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('shares the `config` group with commands other modules register', () => {
    const program = new Command('fedreport');
    program.command('config').command('show');
    registerEligibilityCommands(program);
    expect(program.commands.filter((c) => c.name() === 'config')).toHaveLength(1);
    expect(program.commands.find((c) => c.name() === 'config')!.commands.map((c) => c.name())).toEqual([
      'show',
      'check',
    ]);
  });
});
