/**
 * `fedreport`: the operator and engineer CLI. Each bounded context registers its own sub-commands; this file only
 * assembles them, so adding a command never touches another context's code.
 */
import { Command } from 'commander';
import { ValidationError } from '../../domain/validation-error';
import { registerArchiveCommands } from './archive-commands';
import { registerDocumentCommands } from './document-commands';
import { registerEligibilityCommands } from './eligibility-commands';
import { registerEncounterCommands } from './encounter-commands';
import { registerMeshCommands } from './mesh-commands';
import { registerMessageCommands } from './message-commands';
import { registerQuarantineCommands } from './quarantine-commands';
import { registerReconcileCommands } from './reconcile-commands';
import { registerReportCommands } from './report-commands';

export function buildCli(): Command {
  const program = new Command('fedreport')
    .description('Durable consultation reports between GP practices of a federation (Temporal, ITK3, MESH)')
    .showHelpAfterError()
    .configureOutput({ outputError: (text, write) => write(text) });
  for (const register of commandRegistrations()) register(program);
  return program;
}

/** One registration per bounded context; each owns its sub-commands. */
function commandRegistrations(): ((program: Command) => void)[] {
  return [
    registerEncounterCommands,
    registerMeshCommands,
    registerQuarantineCommands,
    registerMessageCommands,
    registerReportCommands,
    registerEligibilityCommands,
    registerReconcileCommands,
    registerArchiveCommands,
    registerDocumentCommands,
  ];
}

/** Prints an error the way an operator needs it: which field, why; no stack for expected errors. */
export function reportCliError(error: unknown): void {
  if (error instanceof ValidationError) {
    process.stderr.write(`error: ${error.subject} is invalid\n`);
    for (const issue of error.issues) process.stderr.write(`  ${issue.field}: ${issue.reason}\n`);
  } else if (error instanceof Error) {
    process.stderr.write(`error: ${error.message}\n`);
  } else {
    process.stderr.write(`error: ${String(error)}\n`);
  }
}

if (require.main === module) {
  buildCli()
    .parseAsync(process.argv)
    .catch((error: unknown) => {
      reportCliError(error);
      process.exitCode = 1;
    });
}
