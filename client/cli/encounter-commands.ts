/**
 * `fedreport encounters …`: the operator's door to encounter workflows. Submit snapshot files (through Temporal or
 * the API), read a status, list by the ReportStatus / PracticeOds search attributes, give operator commands to one
 * or many encounters, export a history for replay. Reports go to stdout, progress bars to stderr (on a terminal
 * only); failures are thrown typed and the CLI entry point prints them and exits non-zero. Nothing printed here
 * carries PHI: encounter GUIDs, ODS codes, states, times, field names and reasons only.
 */
import fs from 'node:fs/promises';
import { Presets, SingleBar } from 'cli-progress';
import { Command, Option } from 'commander';
import type { Client } from '@temporalio/client';
import { z } from 'zod';
import { loadCodecKeyring } from '../../common/codec-keys';
import { connectClient, temporalConnectionConfigFromEnv } from '../../common/temporal-connection';
import { odsCodeSchema, type ResolvedSnapshot } from '../../domain/snapshot';
import { ValidationError } from '../../domain/validation-error';
import { encounterWorkflowId } from '../../workflows/encounter-identity';
import { WITHDRAWAL_REASONS, type WithdrawalReason } from '../../domain/withdrawal';
import {
  encounterStatus,
  submitConsultationSaved,
  withdrawEncounter,
  type SubmittedConsultation,
} from '../encounters';
import {
  EncounterNotFoundError,
  OPERATOR_COMMANDS,
  OperatorCommandRefusedError,
  commandEncounter,
  commandEncounters,
  encounterReferenceSchema,
  exportEncounterHistory,
  listEncounters,
  parseOperatorAction,
  reportStatusSchema,
  settleEach,
  type EncounterFilter,
  type EncounterListing,
  type OperatorCommand,
  type OperatorCommandAccepted,
  type Settled,
} from '../operations';
import { FedreportApiError, FedreportClient } from '../sdk/fedreport-client';
import { positiveInteger, readSnapshot, schemaArgument } from './cli-inputs';
import { write, writeLimitedList } from './cli-output';

/** Some items of a bulk command failed; the report printed before it names each one and why. */
export class BulkOperationError extends Error {
  constructor(
    readonly failed: number,
    readonly total: number,
    what: string,
  ) {
    super(`${failed} of ${total} ${what} failed (listed above)`);
    this.name = 'BulkOperationError';
  }
}

/** A bulk operator command without --yes: the matches were listed and nothing was sent. */
export class ConfirmationRequiredError extends Error {
  constructor(command: OperatorCommand, matches: number) {
    super(`nothing sent: add --yes to ${command} these ${matches} encounter(s)`);
    this.name = 'ConfirmationRequiredError';
  }
}

const encounterArgument = schemaArgument(encounterReferenceSchema);
const statusOption = () =>
  new Option('--status <state>', 'ReportStatus, e.g. needs-attention, waiting-quiet-period').argParser(
    schemaArgument(reportStatusSchema),
  );
const practiceOption = () =>
  new Option('--practice <ods>', 'PracticeOds: ODS code of the hosting practice').argParser(
    schemaArgument(odsCodeSchema),
  );

/**
 * A client for the Temporal the environment names (FEDREPORT_TEMPORAL_*, FEDREPORT_CODEC_*), closed afterwards.
 * Settings and keys are checked first, so their errors name the variable instead of reading as a network failure.
 */
export async function withTemporal<T>(use: (client: Client) => Promise<T>): Promise<T> {
  const { address } = temporalConnectionConfigFromEnv();
  const keyring = loadCodecKeyring();
  let client: Client;
  try {
    client = await connectClient({ keyring });
  } catch (error) {
    throw new Error(
      `cannot connect to Temporal at ${address} (FEDREPORT_TEMPORAL_ADDRESS): ${(error as Error).message}`,
      { cause: error },
    );
  }
  try {
    return await use(client);
  } finally {
    await client.connection.close();
  }
}

/** A progress bar for bulk work. cli-progress draws only on a terminal, so pipes and CI logs stay clean. */
async function withProgressBar<T>(
  title: string,
  total: number,
  work: (tick: () => void) => Promise<T>,
): Promise<T> {
  const bar = new SingleBar(
    { format: `${title} [{bar}] {value}/{total}`, stream: process.stderr, hideCursor: true },
    Presets.shades_classic,
  );
  bar.start(total, 0);
  try {
    return await work(() => bar.increment());
  } finally {
    bar.stop();
  }
}

export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  return [header, ...rows].map((cells) => `${line(cells)}\n`).join('');
}

function listingTable(listings: EncounterListing[]): string {
  return formatTable(
    ['WORKFLOW ID', 'STATUS', 'PRACTICE', 'NEXT ACTION', 'STARTED'],
    listings.map((listing) => [
      listing.workflowId,
      // A closed workflow keeps its last ReportStatus; say that it is closed, or it reads as still in progress.
      `${listing.reportStatus ?? '-'}${listing.executionStatus === 'RUNNING' ? '' : ` (${listing.executionStatus.toLowerCase()})`}`,
      listing.practiceOds ?? '-',
      listing.nextActionTime?.toISOString() ?? '-',
      listing.startTime.toISOString(),
    ]),
  );
}

/** Field and reason per line where the error has them (validation, API rejections), else its message. */
function describeFailure(error: unknown): string {
  const issues =
    error instanceof ValidationError || (error instanceof FedreportApiError && error.issues.length > 0)
      ? error.issues
      : [];
  if (issues.length > 0) return issues.map((issue) => `  ${issue.field}: ${issue.reason}\n`).join('');
  return `  ${error instanceof Error ? error.message : String(error)}\n`;
}

interface SubmitOptions {
  api?: string;
  token?: string;
  concurrency: number;
}

async function submitCommand(files: string[], options: SubmitOptions, command: Command): Promise<void> {
  if (options.token !== undefined && options.api === undefined)
    throw new ValidationError('options', [{ field: '--token', reason: 'is only used with --api' }]);
  if (options.api !== undefined && options.token === undefined)
    throw new ValidationError('options', [
      { field: '--token', reason: 'is required with --api (or set FEDREPORT_API_TOKEN)' },
    ]);
  const submitFiles = async (submit: (snapshot: ResolvedSnapshot) => Promise<SubmittedConsultation>) =>
    withProgressBar('submitting', files.length, (tick) =>
      settleEach(files, async (file) => submit(await readSnapshot(file)), {
        concurrency: options.concurrency,
        onSettled: tick,
      }),
    );
  let outcomes: Settled<string, SubmittedConsultation>[];
  if (options.api !== undefined) {
    const api = new FedreportClient({ baseUrl: options.api, token: options.token });
    try {
      outcomes = await submitFiles((snapshot) => api.submitConsultation(snapshot));
    } finally {
      await api.close();
    }
  } else {
    outcomes = await withTemporal((client) =>
      submitFiles((snapshot) => submitConsultationSaved(client, snapshot)),
    );
  }
  for (const outcome of outcomes) {
    write(
      command,
      outcome.ok
        ? `accepted  ${outcome.item}  ${outcome.value.workflowId}  revision ${outcome.value.revision}\n`
        : `rejected  ${outcome.item}\n${describeFailure(outcome.error)}`,
    );
  }
  const rejected = outcomes.filter((outcome) => !outcome.ok).length;
  write(command, `${outcomes.length - rejected} accepted, ${rejected} rejected\n`);
  if (rejected > 0) throw new BulkOperationError(rejected, outcomes.length, 'snapshot files');
}

async function statusCommand(
  encounterId: string,
  options: { timeout: number },
  command: Command,
): Promise<void> {
  const status = await withTemporal((client) =>
    encounterStatus(client, encounterId, { timeoutMs: options.timeout * 1_000 }),
  );
  if (!status)
    throw new EncounterNotFoundError(
      encounterWorkflowId(encounterId),
      'no consultation of this encounter has been submitted',
    );
  write(command, `${JSON.stringify(status, null, 2)}\n`);
}

interface ListOptions {
  status?: string;
  practice?: string;
  limit: number;
  includeClosed?: boolean;
}

async function listCommand(options: ListOptions, command: Command): Promise<void> {
  const filter: EncounterFilter = {
    status: options.status,
    practiceOds: options.practice,
    includeClosed: options.includeClosed,
  };
  // One more than shown, to tell the operator whether the limit cut the list.
  const listings = await withTemporal((client) =>
    listEncounters(client, filter, { limit: options.limit + 1 }),
  );
  writeLimitedList(command, {
    found: listings,
    limit: options.limit,
    table: listingTable,
    none: 'no encounters match',
    noun: 'encounter(s)',
    nouns: 'encounters',
  });
}

interface CommandOptions {
  by: string;
  reason?: string;
  status?: string;
  practice?: string;
  yes?: boolean;
  timeout: number;
}

async function operatorCommand(
  command: OperatorCommand,
  encounterId: string | undefined,
  options: CommandOptions,
  cli: Command,
): Promise<void> {
  const bulk = options.status !== undefined || options.practice !== undefined;
  if (bulk === (encounterId !== undefined))
    throw new ValidationError('options', [
      {
        field: 'encounter-id',
        reason: bulk
          ? 'goes either alone or with --status/--practice, not both'
          : 'is required, or --status/--practice to select every matching running encounter',
      },
    ]);
  const action = parseOperatorAction({ requestedBy: options.by, reason: options.reason });
  const timeoutMs = options.timeout * 1_000;
  await withTemporal(async (client) => {
    if (encounterId !== undefined) {
      const workflowId = encounterWorkflowId(encounterId);
      const accepted = await commandEncounter(client, workflowId, command, action, { timeoutMs });
      write(cli, `${acceptance(accepted, workflowId)}\n`);
      return;
    }
    const matches = await listEncounters(client, { status: options.status, practiceOds: options.practice });
    if (matches.length === 0) {
      write(cli, 'no running encounters match: nothing sent\n');
      return;
    }
    if (!options.yes) {
      write(cli, listingTable(matches));
      throw new ConfirmationRequiredError(command, matches.length);
    }
    const outcomes = await withProgressBar(command, matches.length, (tick) =>
      commandEncounters(
        client,
        matches.map((match) => match.workflowId),
        command,
        action,
        { timeoutMs, onSettled: tick },
      ),
    );
    reportBulkCommand(cli, command, outcomes);
  });
}

const acceptance = ({ command, state }: OperatorCommandAccepted, workflowId: string): string =>
  `${command} accepted by ${workflowId} (state: ${state})`;

/** Each refusal with its reason and each failure, then the counts; exits non-zero unless every match accepted. */
function reportBulkCommand(
  cli: Command,
  command: OperatorCommand,
  outcomes: Settled<string, OperatorCommandAccepted>[],
): void {
  let refused = 0;
  let failed = 0;
  for (const outcome of outcomes) {
    if (outcome.ok) continue;
    if (outcome.error instanceof OperatorCommandRefusedError) {
      refused += 1;
      write(cli, `refused  ${outcome.item}\n  ${outcome.error.reason}\n`);
    } else {
      failed += 1;
      write(cli, `failed  ${outcome.item}\n${describeFailure(outcome.error)}`);
    }
  }
  const counts = [
    `${command} accepted by ${outcomes.length - refused - failed} of ${outcomes.length} encounter(s)`,
  ];
  if (refused > 0) counts.push(`refused by ${refused}`);
  if (failed > 0) counts.push(`failed for ${failed}`);
  write(cli, `${counts.join(', ')}\n`);
  if (refused + failed > 0)
    throw new BulkOperationError(refused + failed, outcomes.length, `${command} commands`);
}

interface WithdrawOptions {
  reason: WithdrawalReason;
  by: string;
  at?: string;
  timeout: number;
}

/** The clinical system's withdrawal, given by an operator on its behalf (e.g. its hook was down). */
async function withdrawCommand(encounterId: string, options: WithdrawOptions, cli: Command): Promise<void> {
  const withdrawal = {
    reason: options.reason,
    requestedBy: options.by,
    at: options.at ?? new Date().toISOString(),
  };
  const withdrawn = await withTemporal((client) =>
    withdrawEncounter(client, encounterId, withdrawal, { timeoutMs: options.timeout * 1_000 }),
  );
  write(
    cli,
    `withdraw accepted by ${withdrawn.workflowId} (state: ${withdrawn.state}, ${withdrawn.outcome})\n`,
  );
}

interface HistoryOptions {
  out: string;
  run?: string;
  allowPlaintext?: boolean;
}

async function historyCommand(encounterId: string, options: HistoryOptions, command: Command): Promise<void> {
  const workflowId = encounterWorkflowId(encounterId);
  const exported = await withTemporal((client) => exportEncounterHistory(client, workflowId, options.run));
  const { plaintextPayloads } = exported;
  if (plaintextPayloads.length > 0 && !options.allowPlaintext)
    throw new ValidationError(`history of ${workflowId}`, [
      ...plaintextPayloads.map((location) => ({
        field: location,
        reason: 'is a plaintext payload (written without the codec): it may hold patient data',
      })),
      { field: '--allow-plaintext', reason: 'writes the file anyway; do not attach it to a ticket then' },
    ]);
  await fs.writeFile(options.out, exported.json);
  write(
    command,
    `wrote ${options.out}: ${exported.events} events of ${workflowId}, ${exported.encryptedPayloads} payloads ` +
      `encrypted with codec key(s) ${exported.keyIds.join(', ') || '(none)'}; replaying it needs those keys\n`,
  );
  if (plaintextPayloads.length > 0)
    command
      .configureOutput()
      .writeErr?.(
        `warning: ${plaintextPayloads.length} plaintext payload(s) written: keep the file private\n`,
      );
}

const COMMAND_DESCRIPTIONS: Record<OperatorCommand, string> = {
  resend:
    'send now: ends a quiet period early, retries a failed send, or resends the latest version with its ids',
  cancel: 'stop reporting: drops the pending or failed report of the encounter',
  resolve: 'mark as resolved: the problem was dealt with outside fedreport',
};

export function registerEncounterCommands(program: Command): void {
  const encounters = program
    .command('encounters')
    .description('encounter workflows: submit, status, list, operator commands, withdrawal, history export');
  encounters
    .command('submit')
    .description(
      'submit consultation snapshot (JSON) files, directly to Temporal or through the fedreport API',
    )
    .argument('<files...>', 'snapshot files; each is validated and submitted on its own')
    .option(
      '--api <url>',
      'submit through the fedreport API at this base URL instead of directly to Temporal',
    )
    .addOption(new Option('--token <token>', 'bearer token of the API').env('FEDREPORT_API_TOKEN'))
    .option('--concurrency <n>', 'submissions in flight at once', positiveInteger, 4)
    .action(submitCommand);
  encounters
    .command('status')
    .description("the encounter's reporting status, as its workflow answers the status query")
    .argument('<encounter-id>', 'encounter GUID or workflow id encounter-<GUID>', encounterArgument)
    .option('--timeout <seconds>', 'how long to wait for a worker to answer', positiveInteger, 10)
    .action(statusCommand);
  encounters
    .command('list')
    .description('encounter workflows by ReportStatus and PracticeOds (running ones unless --include-closed)')
    .addOption(statusOption())
    .addOption(practiceOption())
    .option('--limit <n>', 'show at most this many', positiveInteger, 50)
    .option('--include-closed', 'also completed, terminated and failed workflows')
    .action(listCommand);
  for (const command of Object.keys(OPERATOR_COMMANDS) as OperatorCommand[]) {
    encounters
      .command(command)
      .description(
        `${COMMAND_DESCRIPTIONS[command]}; one encounter, or all running matches of --status/--practice. ` +
          'The encounter accepts it (and applies it on its next step) or refuses it with the reason',
      )
      .argument('[encounter-id]', 'encounter GUID or workflow id encounter-<GUID>', encounterArgument)
      .requiredOption('--by <name>', 'who decides (operator name or ticket), kept in the history for audit')
      .option('--reason <text>', 'why, kept in the history for audit')
      .addOption(statusOption())
      .addOption(practiceOption())
      .option(
        '--yes',
        'with --status/--practice: send to every match (without it, the matches are only listed)',
      )
      .option('--timeout <seconds>', 'how long to wait for a worker to accept or refuse', positiveInteger, 10)
      .action((encounterId: string | undefined, options: CommandOptions, cli: Command) =>
        operatorCommand(command, encounterId, options, cli),
      );
  }
  encounters
    .command('withdraw')
    .description(
      'the consultation was deleted or entered in error: cancels a report not yet sent, or (after a send) alerts an ' +
        'operator to contact the registered practice; the encounter may refuse it with the reason',
    )
    .argument('<encounter-id>', 'encounter GUID or workflow id encounter-<GUID>', encounterArgument)
    .addOption(new Option('--reason <reason>', 'why').choices(WITHDRAWAL_REASONS).makeOptionMandatory())
    .requiredOption(
      '--by <name>',
      'who withdrew it (user or system id at the clinical system), kept for audit',
    )
    .option('--at <date-time>', 'when it was withdrawn (ISO 8601 with a time zone); default now')
    .option('--timeout <seconds>', 'how long to wait for a worker to accept or refuse', positiveInteger, 10)
    .action(withdrawCommand);
  encounters
    .command('history')
    .description('export a run history as JSON for replay tests; payloads stay encrypted (checked)')
    .argument('<encounter-id>', 'encounter GUID or workflow id encounter-<GUID>', encounterArgument)
    .requiredOption('--out <file>', 'where to write the history JSON')
    .option(
      '--run <run-id>',
      'a run of the workflow (default: the latest)',
      schemaArgument(z.string().uuid('must be a run id (UUID)')),
    )
    .option('--allow-plaintext', 'write the file even if some payloads are not encrypted')
    .action(historyCommand);
}
