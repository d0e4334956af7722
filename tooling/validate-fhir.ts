/**
 * Validates FHIR STU3 files (XML or JSON) against base STU3 and the NHS profiles in ../shared/fhir/stu3.
 *
 *   npx tsx tooling/validate-fhir.ts [--profiles DIR | --no-profiles] FILE...
 *
 * Prints one line per issue, `file:line:col severity location message` (`:line:col` left out when HAPI gives no
 * position), and a summary on stderr. Exit status: 0 valid, 1 an error or fatal issue, 2 the validator could not run.
 */
import { validateFhirFiles, type ValidateOptions } from './fhir-validator';
import { runCommand } from '../common/run-main';

const USAGE = 'usage: validate-fhir [--profiles DIR | --no-profiles] FILE...';

function parseArgs(argv: string[]): { files: string[]; options: ValidateOptions } {
  const files: string[] = [];
  const options: ValidateOptions = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--profiles' && argv[i + 1] !== undefined) options.profilesDir = argv[++i];
    else if (arg === '--no-profiles') options.profilesDir = null;
    else if (arg === '--') {
      files.push(...argv.slice(i + 1));
      break;
    } else if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg}`);
    else files.push(arg);
  }
  if (files.length === 0) throw new UsageError('no files given');
  return { files, options };
}

class UsageError extends Error {}

async function main(): Promise<number> {
  const { files, options } = parseArgs(process.argv.slice(2));
  const results = await validateFhirFiles(files, options);
  const counts = { fatal: 0, error: 0, warning: 0, information: 0 };
  for (const result of results) {
    for (const issue of result.issues) {
      counts[issue.severity]++;
      const position = issue.line === undefined ? '' : `:${issue.line}:${issue.column ?? 0}`;
      process.stdout.write(
        `${result.file}${position} ${issue.severity} ${issue.location} ${issue.message}\n`,
      );
    }
  }
  const invalid = results.filter((result) => !result.valid).length;
  process.stderr.write(
    `${results.length} file(s), ${invalid} invalid: ${counts.fatal} fatal, ${counts.error} error(s), ` +
      `${counts.warning} warning(s), ${counts.information} information\n`,
  );
  return invalid > 0 ? 1 : 0;
}

runCommand(main, (error) => {
  if (error instanceof UsageError) process.stderr.write(`${error.message}\n${USAGE}\n`);
  else process.stderr.write(`validate-fhir: ${error instanceof Error ? error.message : String(error)}\n`);
  return 2;
});
