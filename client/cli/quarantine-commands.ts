/**
 * `fedreport quarantine list|show|replay|discard`: the MESH messages the inbox kept for operators (unreadable,
 * unmatched, too large, failing, documents held for the receiving side), read from FEDREPORT_QUARANTINE_DIR as the
 * worker writes it. `replay` asks the mailbox's inbox workflow (an Update) to process a message again once its cause
 * is fixed, e.g. its encounter now exists. Records hold patient details: `show` hides mex-to and mex-subject unless
 * asked, and prints the body only to a file.
 */
import fs from 'node:fs/promises';
import { Command } from 'commander';
import {
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import {
  QuarantineStore,
  quarantineDirFromEnv,
  quarantineMailboxSchema,
  quarantineMessageIdSchema,
  type QuarantineRecord,
} from '../../integrations/mesh/quarantine-store';
import { meshInboxWorkflowId, replayQuarantinedUpdate } from '../../workflows/mesh-inbox-workflow';
import type { ReplayOutcome } from '../../workflows/mesh-inbox-activities';
import { positiveInteger, schemaArgument } from './cli-inputs';
import { formatTable, withTemporal } from './encounter-commands';
import { write } from './cli-output';

const mailboxArgument = schemaArgument(quarantineMailboxSchema);
const messageIdArgument = schemaArgument(quarantineMessageIdSchema);

/** The quarantined message was not replayed to its encounter; the reason is the message. */
export class ReplayNotRoutedError extends Error {
  constructor(outcome: ReplayOutcome) {
    super(`not replayed (${outcome.outcome}): ${outcome.detail}`);
    this.name = 'ReplayNotRoutedError';
  }
}

function store(): QuarantineStore {
  return new QuarantineStore(quarantineDirFromEnv());
}

function listTable(records: QuarantineRecord[]): string {
  return formatTable(
    ['MAILBOX', 'MESSAGE ID', 'KIND', 'REASON', 'IN MESH', 'QUARANTINED AT', 'DETAIL'],
    records.map((r) => [
      r.mailbox,
      r.messageId,
      r.kind,
      r.reason,
      r.acknowledgedInMesh ? 'no' : 'yes',
      r.quarantinedAt,
      r.detail,
    ]),
  );
}

async function listCommand(options: { mailbox?: string }, command: Command): Promise<void> {
  const records = await store().list(options.mailbox);
  if (records.length > 0) write(command, listTable(records));
  write(command, `${records.length} quarantined message(s) in ${store().root}\n`);
}

async function recordOf(mailbox: string, messageId: string): Promise<QuarantineRecord> {
  const record = await store().get(mailbox, messageId);
  if (!record)
    throw new Error(`no quarantined message ${messageId} for mailbox ${mailbox} in ${store().root}`);
  return record;
}

interface ShowOptions {
  out?: string;
  showPatientDetails?: boolean;
}

async function showCommand(mailbox: string, messageId: string, options: ShowOptions, command: Command) {
  const record = await recordOf(mailbox, messageId);
  const body = await store().body(mailbox, messageId);
  if (options.out !== undefined && body !== undefined) await fs.writeFile(options.out, body, { mode: 0o600 });
  const headers = record.headers && {
    ...record.headers,
    ...(!options.showPatientDetails && { to: '[hidden]', subject: '[hidden]' }),
  };
  const writtenTo = body !== undefined ? options.out : undefined;
  write(
    command,
    `${JSON.stringify({ ...record, headers, bodyKept: body !== undefined, writtenTo }, null, 2)}\n`,
  );
}

async function replayCommand(
  mailbox: string,
  messageId: string,
  options: { by: string; timeout: number },
  command: Command,
): Promise<void> {
  await recordOf(mailbox, messageId);
  const workflowId = meshInboxWorkflowId(mailbox);
  const outcome = await withTemporal(async (client) => {
    try {
      return await client.withDeadline(Date.now() + options.timeout * 1_000, () =>
        client.workflow
          .getHandle(workflowId)
          .executeUpdate(replayQuarantinedUpdate, { args: [{ messageId, requestedBy: options.by }] }),
      );
    } catch (error) {
      throw replayError(error, workflowId);
    }
  });
  if (outcome.outcome !== 'routed') throw new ReplayNotRoutedError(outcome);
  write(command, `replayed ${messageId}: ${outcome.detail}\n`);
}

function replayError(error: unknown, workflowId: string): unknown {
  if (error instanceof WorkflowNotFoundError)
    return new Error(`${workflowId} is not running: start a worker whose federation file has this mailbox`);
  if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure)
    return new Error(`replay refused by ${workflowId}: ${error.cause.message}`);
  if (error instanceof WorkflowUpdateRPCTimeoutOrCancelledError)
    return new Error(`no worker answered the replay in time: check that fedreport workers are running`);
  return error;
}

async function discardCommand(
  mailbox: string,
  messageId: string,
  options: { by: string; reason?: string },
  command: Command,
): Promise<void> {
  const record = await recordOf(mailbox, messageId);
  await store().remove(mailbox, messageId);
  write(
    command,
    `discarded ${messageId} of ${mailbox} (by ${options.by}${options.reason ? `: ${options.reason}` : ''})\n`,
  );
  if (!record.acknowledgedInMesh) {
    write(command, `it is still in the MESH inbox; \`fedreport mesh ack ${messageId}\` removes it there\n`);
  }
}

/** A sub-command about one quarantined message: `<mailbox> <messageId>`, both validated. */
function messageCommand(parent: Command, name: string, description: string): Command {
  return parent
    .command(name)
    .description(description)
    .argument('<mailbox>', 'MESH mailbox id', mailboxArgument)
    .argument('<messageId>', 'MESH message id', messageIdArgument);
}

export function registerQuarantineCommands(program: Command): void {
  const quarantine = program
    .command('quarantine')
    .description('MESH messages the inbox kept for operators (FEDREPORT_QUARANTINE_DIR)');
  quarantine
    .command('list')
    .description('quarantined messages, oldest first')
    .option('--mailbox <id>', 'only this mailbox', mailboxArgument)
    .action(listCommand);
  messageCommand(
    quarantine,
    'show',
    'one quarantined message: why, when, its MESH headers; its body to --out',
  )
    .option('--out <file>', 'write the kept body here (patient data: keep it private)')
    .option('--show-patient-details', 'include mex-to and mex-subject (patient details)')
    .action(showCommand);
  messageCommand(
    quarantine,
    'replay',
    'process a quarantined message again once its cause is fixed (needs a worker)',
  )
    .requiredOption(
      '--by <name>',
      'who asks (an operator name or ticket), kept in the inbox workflow history',
    )
    .option('--timeout <seconds>', 'how long to wait for a worker', positiveInteger, 30)
    .action(replayCommand);
  messageCommand(quarantine, 'discard', 'delete a quarantined message (its record and body)')
    .requiredOption('--by <name>', 'who decided (an operator name or ticket)')
    .option('--reason <text>', 'why')
    .action(discardCommand);
}
