/**
 * Renders an example snapshot through `fedreport report render` in a fresh Node process:
 * `tsx render-in-process.ts SNAPSHOT VERSION OUT`. The determinism test runs it twice to compare bytes across processes.
 */
import { Command } from 'commander';
import { registerReportCommands } from '../../../../client/cli/report-commands';

const [snapshot = '', version = '', out = ''] = process.argv.slice(2);
const program = new Command('fedreport').configureOutput({ writeOut: () => {} });
registerReportCommands(program);
program
  .parseAsync(
    [
      'report',
      'render',
      '--snapshot',
      snapshot,
      '--version',
      version,
      '--out',
      out,
      '--receiving-ods',
      'Y90002',
      '--receiving-name',
      'Hill Surgery',
    ],
    { from: 'user' },
  )
  .catch((error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exitCode = 1;
  });
