/**
 * `fedreport reconcile`: completeness reconciliation (GPCM-SD-076) for operators. Reads the encounter GUIDs a
 * clinical system saved for a practice in a period from a file and says which fedreport never received (missed hooks)
 * and the state of the others, from Temporal visibility. Exits non-zero when hooks were missed, for scheduled runs.
 */
import { Command } from 'commander';
import { parseReconciliationRequest, type ReconciliationRequest } from '../../domain/reconciliation';
import { odsCodeSchema } from '../../domain/snapshot';
import { ValidationError } from '../../domain/validation-error';
import { reconcileEncounters, type ReconciliationReport } from '../reconciliation';
import { readTextFile, schemaArgument } from './cli-inputs';
import { withTemporal } from './encounter-commands';

/** Some listed encounters have no workflow in fedreport; the report printed before it lists them. */
export class MissedHooksError extends Error {
  constructor(missing: number) {
    super(`${missing} encounter(s) have no workflow in fedreport: their saves never arrived (listed above)`);
    this.name = 'MissedHooksError';
  }
}

interface ReconcileOptions {
  practice: string;
  from: string;
  to: string;
  json?: boolean;
}

/**
 * The request from the file: one GUID a line (blank lines and `#` comments ignored). A rejected GUID is named by its
 * line, never quoted.
 */
export async function readReconciliationRequest(
  file: string,
  { from, to }: Pick<ReconcileOptions, 'from' | 'to'>,
): Promise<ReconciliationRequest> {
  const lines = (await readTextFile(file, 'encounter list')).split(/\r?\n/);
  const listed = lines.flatMap((text, index) => {
    const id = text.replace(/#.*/, '').trim();
    return id === '' ? [] : [{ id, line: index + 1 }];
  });
  try {
    return parseReconciliationRequest({ from, to, encounterIds: listed.map(({ id }) => id) });
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    const located = error.issues.map(({ field, reason }) => {
      const index = /^encounterIds\[(\d+)\]$/.exec(field)?.[1];
      const line = index === undefined ? undefined : listed[Number(index)]?.line;
      const where = field === 'from' || field === 'to' ? `--${field}` : file;
      return { field: line === undefined ? where : `${file} line ${line}`, reason };
    });
    throw new ValidationError('reconciliation', located);
  }
}

export function reconciliationText(report: ReconciliationReport): string {
  const list = (ids: string[]) => ids.map((id) => `  ${id}\n`).join('');
  const states = Object.entries(report.states)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([state, count]) => `${state} ${count}`);
  return (
    `practice ${report.practiceOds}, ${report.from} to ${report.to}: ${report.checked} encounter(s) checked\n` +
    `missing (no encounter in fedreport: missed hooks): ${report.missing.length}\n${list(report.missing)}` +
    `held for another hosting practice: ${report.otherPractice.length}\n${list(report.otherPractice)}` +
    `states: ${states.join(', ') || 'none'}\n`
  );
}

async function reconcileCommand(file: string, options: ReconcileOptions, command: Command): Promise<void> {
  const request = await readReconciliationRequest(file, options);
  const report = await withTemporal((client) => reconcileEncounters(client, options.practice, request));
  const output = command.configureOutput();
  output.writeOut?.(options.json ? `${JSON.stringify(report, null, 2)}\n` : reconciliationText(report));
  if (report.missing.length > 0) throw new MissedHooksError(report.missing.length);
}

export function registerReconcileCommands(program: Command): void {
  program
    .command('reconcile')
    .description(
      "which of a practice's encounters (GUIDs the clinical system saved in a period) fedreport never received, " +
        'and the reporting state of the others; exits non-zero when any is missing',
    )
    .argument('<file>', 'encounter GUIDs, one a line (at most 10,000; # comments and blank lines ignored)')
    .requiredOption('--practice <ods>', 'ODS code of the hosting practice', schemaArgument(odsCodeSchema))
    .requiredOption('--from <date-time>', 'start of the period (ISO 8601 with a time zone)')
    .requiredOption('--to <date-time>', 'end of the period (ISO 8601 with a time zone)')
    .option('--json', 'print the whole reconciliation as JSON (every encounter with its state)')
    .action(reconcileCommand);
}
