import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CommanderError } from 'commander';
import { registerReportCommands } from '../../../client/cli/report-commands';
import { ValidationError } from '../../../domain/validation-error';
import { extractText } from './support/pdf-text';
import { exampleInput } from './support/snapshots';
import { runFedreportCli, throwIfFailed } from '../../support/cli';

const example = path.resolve(__dirname, '../../../examples/consultation-temporary-resident.json');

describe('fedreport report render', () => {
  let dir: string;
  let out: string;
  let stdout: string;
  let stderr: string;

  async function cli(...args: string[]): Promise<void> {
    const run = await runFedreportCli(registerReportCommands, ['report', 'render', ...args]);
    stdout += run.stdout;
    stderr += run.stderr;
    throwIfFailed(run);
  }

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fedreport-cli-'));
    out = path.join(dir, 'report.pdf');
    stdout = '';
    stderr = '';
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  function writeSnapshot(change: (input: Record<string, any>) => void): string {
    const input = exampleInput('consultation-temporary-resident.json') as Record<string, any>;
    change(input);
    const file = path.join(dir, 'snapshot.json');
    fs.writeFileSync(file, JSON.stringify(input));
    return file;
  }

  it('writes the PDF of a snapshot file for the given version and receiving practice', async () => {
    await cli(
      '--snapshot',
      example,
      '--version',
      '4',
      '--out',
      out,
      '--receiving-ods',
      'Y90002',
      '--receiving-name',
      'Hill Surgery',
    );
    const text = extractText(fs.readFileSync(out));
    expect(text).toContain('Version 4');
    expect(text).toContain('Receiving GP Practice Hill Surgery (Y90002)');
    expect(stdout).toBe(`wrote ${out} (${fs.statSync(out).size} bytes)\n`);
    expect(stderr).toBe('');
  });

  it('warns, and names no practice but the placeholder, when the receiving practice is not given', async () => {
    await cli('--snapshot', example, '--version', '1', '--out', out);
    expect(stderr).toContain('no --receiving-ods');
    expect(extractText(fs.readFileSync(out))).toContain('Receiving GP Practice UNKNOWN');
  });

  it('names each bad field of an invalid snapshot file, without its values, and writes nothing', async () => {
    const file = writeSnapshot((input) => {
      input.patient.nhsNumber = '9990000019';
      delete input.patient.birthDate;
    });
    const rejection = cli('--snapshot', file, '--version', '1', '--out', out);
    await expect(rejection).rejects.toBeInstanceOf(ValidationError);
    await expect(rejection).rejects.toMatchObject({
      subject: `snapshot file ${file}`,
      issues: expect.arrayContaining([
        { field: 'patient.nhsNumber', reason: expect.stringContaining('Modulus 11') },
        { field: 'patient.birthDate', reason: 'is required' },
      ]),
    });
    await expect(rejection).rejects.not.toThrow('9990000019');
    expect(fs.existsSync(out)).toBe(false);
  });

  it('refuses a file that is not JSON without quoting its content', async () => {
    const file = path.join(dir, 'broken.json');
    fs.writeFileSync(file, '{"patient": {"name": "Eleanor Whitfield"');
    const rejection = cli('--snapshot', file, '--version', '1', '--out', out);
    await expect(rejection).rejects.toThrow(`snapshot file ${file} is not valid JSON`);
    await expect(rejection).rejects.not.toThrow('Whitfield');
  });

  it('refuses a missing file', async () => {
    await expect(
      cli('--snapshot', path.join(dir, 'absent.json'), '--version', '1', '--out', out),
    ).rejects.toThrow(/cannot read snapshot file .*ENOENT/);
  });

  it.each(['0', '-1', '1.5', 'two'])(
    'refuses version %s with a usage error (non-zero exit)',
    async (version) => {
      const rejection = cli('--snapshot', example, '--version', version, '--out', out);
      await expect(rejection).rejects.toBeInstanceOf(CommanderError);
      await expect(rejection).rejects.toMatchObject({ exitCode: 1 });
      expect(stderr).toContain('must be a positive integer');
    },
  );
});
