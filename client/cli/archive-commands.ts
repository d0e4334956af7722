/**
 * `fedreport archive …`: operators find archived messages and run the print fallback. The CLI reads the archive
 * database directly (FEDREPORT_DATABASE_URL and the codec keys, as the worker does) and talks to Temporal for the
 * encounters a print run resolves. What is printed carries no patient data: ids, ODS codes, states, codes and times;
 * the message and its PDF go only to files the operator names.
 */
import fs from 'node:fs/promises';
import { Command, Option } from 'commander';
import { z } from 'zod';
import { odsCodeSchema } from '../../domain/snapshot';
import { ValidationError } from '../../domain/validation-error';
import { SENT_MESSAGE_STATES } from '../../integrations/store/archive-schema';
import type { SentMessageSummary } from '../../integrations/store/archive-records';
import { withArchive } from '../archive-access';
import { encounterReferenceSchema, OperatorCommandRefusedError } from '../operations';
import { printQueuedReports, reportPdf } from '../print-run';
import { positiveInteger, schemaArgument } from './cli-inputs';
import { BulkOperationError, formatTable, withTemporal } from './encounter-commands';
import { write, writeLimitedList } from './cli-output';

const localIdArgument = schemaArgument(z.string().trim().uuid('must be a message local id (GUID)'));
const odsArgument = schemaArgument(odsCodeSchema);

/** An ISO 8601 date or date-time option as a Date; the error names the option (a date is not patient data here). */
function dateOption(value: string | undefined, option: string): Date | undefined {
  if (value === undefined) return undefined;
  const date = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(date.getTime()))
    throw new ValidationError('options', [
      { field: option, reason: 'must be an ISO 8601 date or date-time' },
    ]);
  return date;
}

function summaryTable(messages: SentMessageSummary[]): string {
  return formatTable(
    ['LOCAL ID', 'ENCOUNTER', 'VERSION', 'STATE', 'SENDER', 'RECIPIENT', 'CREATED', 'MESH ID'],
    messages.map((m) => [
      m.localId,
      m.encounterGuid,
      String(m.reportVersion),
      m.state,
      m.senderOds,
      m.recipientOds,
      m.createdAt.toISOString(),
      m.meshMessageId ?? '-',
    ]),
  );
}

interface SearchOptions {
  encounter?: string;
  nhsNumber?: string;
  practice?: string;
  from?: string;
  to?: string;
  state?: (typeof SENT_MESSAGE_STATES)[number];
  limit: number;
}

async function searchCommand(options: SearchOptions, command: Command): Promise<void> {
  const query = {
    encounterGuid: options.encounter,
    // Validated by the archive, whose error names the field and never echoes the number.
    nhsNumber: options.nhsNumber?.replace(/\s/g, ''),
    practiceOds: options.practice,
    from: dateOption(options.from, '--from'),
    to: dateOption(options.to, '--to'),
    state: options.state,
    limit: options.limit + 1,
  };
  const found = await withArchive(({ archive }) => archive.search(query));
  writeLimitedList(command, {
    found,
    limit: options.limit,
    table: summaryTable,
    none: 'no archived messages match',
    noun: 'message(s)',
    nouns: 'messages',
  });
}

async function showCommand(
  localId: string,
  options: { pdf?: string; message?: string },
  command: Command,
): Promise<void> {
  await withArchive(async ({ archive }) => {
    const message = await archive.show(localId);
    if (!message) throw new Error(`no archived message has the local id ${localId}`);
    write(command, summaryTable([message]));
    write(command, `sha256 ${message.sha256}\nsent ${message.sentAt?.toISOString() ?? '-'}\n`);
    write(
      command,
      message.answers.length === 0
        ? 'no answers\n'
        : formatTable(
            ['ANSWER', 'CODE', 'MESH ID', 'RECEIVED'],
            message.answers.map((a) => [a.kind, a.code, a.meshMessageId, a.receivedAt.toISOString()]),
          ),
    );
    if (options.message) {
      await fs.writeFile(options.message, message.body);
      write(command, `wrote ${options.message}: the message as sent (${message.body.byteLength} bytes)\n`);
    }
    if (options.pdf) {
      await fs.writeFile(options.pdf, await reportPdf(archive, localId));
      write(command, `wrote ${options.pdf}: the report PDF as sent\n`);
    }
  });
}

async function postCommand(localId: string, options: { by: string }, command: Command): Promise<void> {
  await withArchive(({ printQueue }) =>
    printQueue.choosePost({ localId, requestedBy: options.by, at: new Date() }),
  );
  write(command, `${localId} is in its hosting practice's print queue\n`);
}

interface PrintQueueOptions {
  practice: string;
  out?: string;
  by: string;
  timeout: number;
}

async function printQueueCommand(options: PrintQueueOptions, command: Command): Promise<void> {
  if (!options.out) {
    const queued = await withArchive(({ printQueue }) => printQueue.pending(options.practice));
    write(
      command,
      formatTable(
        ['LOCAL ID', 'ENCOUNTER', 'VERSION', 'STATE', 'WHY'],
        queued.map((q) => [q.localId, q.encounterGuid, String(q.reportVersion), q.state, q.reason]),
      ),
    );
    write(command, `${queued.length} report(s) to print\n`);
    return;
  }
  const out = options.out;
  const run = await withTemporal((temporal) =>
    withArchive((opened) =>
      printQueuedReports(
        { temporal, ...opened },
        { practiceOds: options.practice, out, by: options.by, timeoutMs: options.timeout * 1_000 },
      ),
    ),
  );
  if (run.reports.length === 0) {
    write(command, `nothing to print for ${options.practice}: no file written\n`);
    return;
  }
  write(command, `wrote ${out}: ${run.reports.length} report(s), ${run.pages} page(s); recorded as posted\n`);
  let failed = 0;
  for (const outcome of run.resolutions) {
    if (outcome.ok) write(command, `resolved  ${outcome.item}  (sent by post)\n`);
    else {
      failed += 1;
      const why =
        outcome.error instanceof OperatorCommandRefusedError
          ? outcome.error.reason
          : String((outcome.error as Error).message);
      write(command, `not resolved  ${outcome.item}\n  ${why}\n`);
    }
  }
  if (failed > 0)
    throw new BulkOperationError(failed, run.resolutions.length, 'resolutions (reports posted)');
}

export function registerArchiveCommands(program: Command): void {
  const archive = program
    .command('archive')
    .description('the archive of sent messages: search, show, the print fallback');
  archive
    .command('search')
    .description('archived sent messages, newest first; every criterion given must match')
    .option('--encounter <guid>', 'encounter GUID or workflow id', schemaArgument(encounterReferenceSchema))
    .option('--nhs-number <number>', "the patient's NHS number (searched through its keyed hash)")
    .option('--practice <ods>', 'sender or recipient ODS code', odsArgument)
    .option('--from <date>', 'created at or after (ISO 8601)')
    .option('--to <date>', 'created at or before (ISO 8601)')
    .addOption(new Option('--state <state>', 'message state').choices(SENT_MESSAGE_STATES))
    .option('--limit <n>', 'show at most this many (up to 999)', positiveInteger, 50)
    .action(searchCommand);
  archive
    .command('show')
    .description('one archived message with its answers; --pdf and --message write what was sent')
    .argument('<local-id>', 'the message local id (ITK3 MessageHeader id)', localIdArgument)
    .option('--pdf <file>', 'write the report PDF as sent')
    .option('--message <file>', 'write the ITK3 message as sent')
    .action(showCommand);
  archive
    .command('post')
    .description("put a sent report in its hosting practice's print queue (the operator chose to post it)")
    .argument('<local-id>', 'the message local id', localIdArgument)
    .requiredOption('--by <name>', 'who decided (operator name or ticket), kept for audit')
    .action(postCommand);
  archive
    .command('print-queue')
    .description(
      'the print queue of a hosting practice; with --out, one merged PDF of every queued report, each then ' +
        'recorded as posted and its encounter resolved with the reason "sent by post"',
    )
    .requiredOption('--practice <ods>', 'ODS code of the hosting practice', odsArgument)
    .option('--out <file>', 'where to write the merged PDF (without it, the queue is only listed)')
    .option('--by <name>', 'who printed (operator name or ticket), kept for audit', 'fedreport print-queue')
    .option('--timeout <seconds>', 'how long each encounter has to accept the resolve', positiveInteger, 10)
    .action(printQueueCommand);
}
