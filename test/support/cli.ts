import { Command } from 'commander';

export interface CliRun {
  stdout: string;
  stderr: string;
  /** What the command ended with, if it failed (commander's exit is turned into an error). */
  error?: unknown;
}

/**
 * Runs `fedreport <args>` in this process with the given command groups registered, and returns what it printed
 * and the error it ended with: the CLI as an operator meets it, without a child process per test.
 */
export async function runFedreportCli(register: (program: Command) => void, args: string[]): Promise<CliRun> {
  const run: CliRun = { stdout: '', stderr: '' };
  const program = new Command('fedreport').exitOverride().configureOutput({
    writeOut: (text) => void (run.stdout += text),
    writeErr: (text) => void (run.stderr += text),
  });
  register(program);
  try {
    await program.parseAsync(args, { from: 'user' });
  } catch (error) {
    run.error = error;
  }
  return run;
}

/** The run, or the error its command failed with (commander and the commands throw Error instances). */
export function throwIfFailed(run: CliRun): CliRun {
  if (run.error !== undefined) throw run.error as Error;
  return run;
}

/** As runFedreportCli, but a failed command rejects with its error (for `expect(...).rejects`). */
export async function fedreportCliOrThrow(register: (program: Command) => void, args: string[]): Promise<CliRun> {
  return throwIfFailed(await runFedreportCli(register, args));
}
