/**
 * `fedreport documents …`: the document inbox of the receiving practices, for operators and for practices without a
 * clinical system that calls the API (docs/receiving.md, The document API). The CLI reads the archive database
 * directly (FEDREPORT_DATABASE_URL and the codec keys, as the worker does) and files or rejects through the message's
 * workflow in Temporal. What is printed carries no patient data: ids, ODS codes, states, codes and times; the NHS
 * number, a refusal's reason and the PDF go only to files the operator names.
 */
import fs from 'node:fs/promises';
import { Command, Option } from 'commander';
import { parseDocumentRejection, REFUSAL_CODES, type FilingOutcome } from '../../domain/document-filing';
import { odsCodeSchema } from '../../domain/snapshot';
import { ValidationError } from '../../domain/validation-error';
import type { ReceivedDocumentSummary } from '../../integrations/store/received-document-queries';
import {
  RECEIVED_DOCUMENT_STATES,
  type ReceivedDocumentState,
} from '../../integrations/store/received-document-repository';
import { withArchive } from '../archive-access';
import { documentIdSchema, settleReceivedDocument } from '../received-documents';
import { positiveInteger, schemaArgument } from './cli-inputs';
import { formatTable, withTemporal } from './encounter-commands';
import { write, writeLimitedList } from './cli-output';

const documentIdArgument = schemaArgument(documentIdSchema);

function summaryTable(documents: ReceivedDocumentSummary[]): string {
  return formatTable(
    ['MESH ID', 'PRACTICE', 'SENDER', 'ENCOUNTER', 'RECEIVED', 'STATE', 'SUPERSEDED'],
    documents.map((d) => [
      d.meshMessageId,
      d.practiceOds,
      d.senderOds,
      d.encounterGuid,
      d.receivedAt.toISOString(),
      d.state,
      d.superseded ? 'yes' : 'no',
    ]),
  );
}

interface ListOptions {
  practice?: string;
  state: ReceivedDocumentState;
  limit: number;
}

async function listCommand(options: ListOptions, command: Command): Promise<void> {
  const found = await withArchive(({ documents }) =>
    documents.list({
      practices: options.practice ? [options.practice] : '*',
      state: options.state,
      limit: options.limit + 1,
    }),
  );
  writeLimitedList(command, {
    found,
    limit: options.limit,
    table: summaryTable,
    none: `no ${options.state} documents`,
    noun: 'document(s)',
    nouns: 'documents',
  });
}

async function showCommand(
  meshMessageId: string,
  options: { json?: string },
  command: Command,
): Promise<void> {
  const metadata = await withArchive(({ documents }) => documents.metadata(meshMessageId));
  if (!metadata) throw new Error(`no received document has the MESH message id ${meshMessageId}`);
  write(command, summaryTable([metadata]));
  write(
    command,
    `message header ${metadata.messageHeaderId}\ndocument ${metadata.documentId} (${metadata.payloadVersion})\n` +
      `version ${metadata.version ?? '-'}\nreplaces ${metadata.replacesDocumentId ?? '-'}\n` +
      `replaces messages ${metadata.replacesMessages.join(' ') || '-'}\n` +
      `superseded by ${metadata.supersededByMessages.join(' ') || '-'}\n` +
      `refusal code ${metadata.refusal?.code ?? '-'}\n`,
  );
  write(
    command,
    formatTable(
      ['ATTACHMENT', 'TYPE', 'BYTES'],
      metadata.attachments.map((a, index) => [String(index + 1), a.contentType, String(a.bytes)]),
    ),
  );
  if (options.json) {
    await fs.writeFile(options.json, `${JSON.stringify(metadata, null, 2)}\n`, { mode: 0o600 });
    write(command, `wrote ${options.json}: the metadata with the NHS number and any refusal reason\n`);
  }
}

async function pdfCommand(meshMessageId: string, options: { out: string }, command: Command): Promise<void> {
  const pdf = await withArchive(({ documents }) => documents.pdf(meshMessageId));
  if (!pdf) throw new Error(`no received document with a PDF has the MESH message id ${meshMessageId}`);
  await fs.writeFile(options.out, pdf, { mode: 0o600 });
  write(command, `wrote ${options.out}: the report PDF as received (${pdf.byteLength} bytes)\n`);
}

async function settle(
  meshMessageId: string,
  outcome: FilingOutcome,
  timeoutSeconds: number,
  command: Command,
): Promise<void> {
  const document = await withArchive(({ documents }) => documents.summary(meshMessageId));
  if (!document) throw new Error(`no received document has the MESH message id ${meshMessageId}`);
  const accepted = await withTemporal((client) =>
    settleReceivedDocument(client, document, outcome, { timeoutMs: timeoutSeconds * 1_000 }),
  );
  write(command, `${meshMessageId} ${accepted.stage}: the business answer goes to ${document.senderOds}\n`);
}

/** The rejection's contract, its fields named as the options that give them. */
function rejectionOf(options: { code: string; reason: string }): FilingOutcome {
  try {
    return { outcome: 'rejected', ...parseDocumentRejection({ code: options.code, reason: options.reason }) };
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    throw new ValidationError(
      'options',
      error.issues.map((issue) => ({ ...issue, field: `--${issue.field}` })),
    );
  }
}

export function registerDocumentCommands(program: Command): void {
  const documents = program
    .command('documents')
    .description('documents received for the practices: list, show, pdf, file, reject');
  documents
    .command('list')
    .description('received documents, oldest first (new ones unless --state says otherwise)')
    .option('--practice <ods>', 'ODS code of the receiving practice', schemaArgument(odsCodeSchema))
    .addOption(
      new Option('--state <state>', 'document state').choices(RECEIVED_DOCUMENT_STATES).default('held'),
    )
    .option('--limit <n>', 'show at most this many (up to 999)', positiveInteger, 50)
    .action(listCommand);
  documents
    .command('show')
    .description("one document's metadata (no patient data printed); --json writes it all to a file")
    .argument('<mesh-message-id>', 'the MESH message id of the document', documentIdArgument)
    .option('--json <file>', 'write the metadata, NHS number and refusal reason included')
    .action(showCommand);
  documents
    .command('pdf')
    .description('write the report PDF as received')
    .argument('<mesh-message-id>', 'the MESH message id of the document', documentIdArgument)
    .requiredOption('--out <file>', 'where to write the PDF')
    .action(pdfCommand);
  documents
    .command('file')
    .description('the document is filed: the business answer (30001/30004 as PDS decides) goes out')
    .argument('<mesh-message-id>', 'the MESH message id of the document', documentIdArgument)
    .option('--timeout <seconds>', 'how long the workflow has to accept it', positiveInteger, 10)
    .action((id: string, options: { timeout: number }, command: Command) =>
      settle(id, { outcome: 'filed' }, options.timeout, command),
    );
  documents
    .command('reject')
    .description(
      'the practice refuses the document: its negative business code goes out, the reason stays here',
    )
    .argument('<mesh-message-id>', 'the MESH message id of the document', documentIdArgument)
    .addOption(
      new Option('--code <code>', 'negative business code').choices(REFUSAL_CODES).makeOptionMandatory(),
    )
    .requiredOption('--reason <text>', 'why (kept sealed in the document inbox, never sent)')
    .option('--timeout <seconds>', 'how long the workflow has to accept it', positiveInteger, 10)
    .action((id: string, options: { code: string; reason: string; timeout: number }, command: Command) =>
      settle(id, rejectionOf(options), options.timeout, command),
    );
}
