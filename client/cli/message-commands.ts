/**
 * `fedreport message …`: ITK3 messages for engineers. `build` writes the Send Document message of a snapshot file
 * exactly as the service would send it, `ack` answers a message the way a receiving practice would, `parse` reads an
 * ITK3 response. Errors are thrown typed (ValidationError, Itk3ParseError); the CLI entry point prints them.
 */
import fs from 'node:fs/promises';
import { Command, Option } from 'commander';
import { MESH_ENV_VARS } from '../../integrations/mesh/config';
import {
  MESSAGE_FORMATS,
  buildItk3Response,
  buildSendDocumentMessage,
  meshMetadataFor,
  messageIdentity,
  parseItk3Response,
  readSendDocumentHeader,
  serialiseFhir,
  type MessageFormat,
} from '../../integrations/itk3';
import { positiveInteger, readSnapshot, readTextFile } from './cli-inputs';
import { renderPreviewReport } from './report-commands';

interface BuildOptions {
  snapshot: string;
  version: number;
  format: MessageFormat;
  receivingOds?: string;
  receivingName?: string;
  senderMailbox?: string;
  previousDocument?: string;
  builtAt?: string;
  out?: string;
}

interface AckOptions {
  message: string;
  code: string;
  responderOds: string;
  responderMailbox: string;
  diagnostics?: string;
  respondedAt?: string;
  format: MessageFormat;
  out?: string;
}

/** Writes to --out when given (and says so), else the document itself goes to stdout. */
async function emit(command: Command, text: string, out: string | undefined): Promise<void> {
  const output = command.configureOutput();
  if (!out) {
    output.writeOut?.(text);
    return;
  }
  await fs.writeFile(out, text);
  output.writeErr?.(`wrote ${out} (${Buffer.byteLength(text)} bytes)\n`);
}

async function buildCommand(options: BuildOptions, command: Command): Promise<void> {
  const output = command.configureOutput();
  const snapshot = await readSnapshot(options.snapshot);
  const senderMailboxId = options.senderMailbox ?? process.env[MESH_ENV_VARS.mailbox];
  if (!senderMailboxId)
    throw new Error(`no sender mailbox: give --sender-mailbox or set ${MESH_ENV_VARS.mailbox}`);
  // The snapshot's save time keeps previews reproducible; the service uses the time it first built the version.
  const firstBuiltAt = options.builtAt ?? snapshot.savedAt;
  let previousDocumentIdentifier = options.previousDocument;
  if (options.version > 1 && !previousDocumentIdentifier) {
    previousDocumentIdentifier = messageIdentity(
      snapshot.encounterId,
      options.version - 1,
      firstBuiltAt,
    ).documentIdentifier;
    output.writeErr?.(
      'warning: no --previous-document; relatesTo names the identifier version n-1 would have had if built at the same time\n',
    );
  }
  const reportPdf = await renderPreviewReport(snapshot, options, (text) => output.writeErr?.(text));
  const message = buildSendDocumentMessage({
    snapshot,
    reportPdf,
    senderMailboxId,
    version: options.version,
    previousDocumentIdentifier,
    firstBuiltAt,
  });
  const identity = messageIdentity(snapshot.encounterId, options.version, firstBuiltAt);
  const mesh = meshMetadataFor(
    { snapshot, version: options.version, messageHeaderId: identity.messageHeaderId },
    { format: options.format },
  );
  // Ids only: the MESH address and subject carry patient data and stay out of the terminal log.
  output.writeErr?.(
    `messageHeaderId ${identity.messageHeaderId}\ndocumentIdentifier ${identity.documentIdentifier}\nmesh localId ${mesh.localId}, workflow ${mesh.workflowId}, ${mesh.contentType}\n`,
  );
  await emit(command, serialiseFhir(message, options.format), options.out);
}

async function ackCommand(options: AckOptions, command: Command): Promise<void> {
  const original = readSendDocumentHeader(await readTextFile(options.message, 'message file'));
  const response = buildItk3Response({
    original: { messageHeaderId: original.messageHeaderId, senderReference: original.senderReference },
    responder: { odsCode: options.responderOds, mailboxId: options.responderMailbox },
    code: options.code,
    diagnostics: options.diagnostics,
    respondedAt: options.respondedAt ?? new Date(),
  });
  await emit(command, serialiseFhir(response, options.format), options.out);
}

async function parseCommand(file: string, _options: unknown, command: Command): Promise<void> {
  const response = parseItk3Response(
    await fs.readFile(file).catch((error: NodeJS.ErrnoException) => {
      throw new Error(`cannot read response file ${file}: ${error.code ?? String(error)}`);
    }),
  );
  command.configureOutput().writeOut?.(`${JSON.stringify(response, null, 2)}\n`);
}

const formatOption = () =>
  new Option('--format <format>', 'wire format').choices(MESSAGE_FORMATS).default('xml');

export function registerMessageCommands(program: Command): void {
  const message = program
    .command('message')
    .description('ITK3 Send Document messages and their acknowledgements');
  message
    .command('build')
    .description(
      'build the ITK3 Send Document message of a consultation snapshot (JSON) file, as the service sends it',
    )
    .requiredOption('--snapshot <file>', 'consultation snapshot JSON file')
    .requiredOption(
      '--version <n>',
      'report version: 1 for the first report of the consultation',
      positiveInteger,
    )
    .addOption(formatOption())
    .option('--receiving-ods <code>', 'ODS code of the receiving (registered) GP practice, shown in the PDF')
    .option('--receiving-name <name>', 'name of the receiving GP practice, shown in the PDF')
    .option('--sender-mailbox <id>', `sending MESH mailbox (default: $${MESH_ENV_VARS.mailbox})`)
    .option('--previous-document <uuid>', 'document identifier of the version replaced (version 2 and later)')
    .option('--built-at <iso-date-time>', 'first build time of this version (default: the snapshot savedAt)')
    .option('--out <file>', 'write the message to a file instead of stdout')
    .action(buildCommand);
  message
    .command('ack')
    .description('answer a Send Document message file with an ITK3 response, as a receiving practice would')
    .requiredOption('--message <file>', 'the Send Document message (XML or JSON)')
    .requiredOption(
      '--code <code>',
      'ITK3 response code, e.g. 20013 (infrastructure ok), 30001 (business ok), 30002',
    )
    .requiredOption('--responder-ods <code>', 'ODS code of the responding practice')
    .requiredOption('--responder-mailbox <id>', 'MESH mailbox of the responding practice')
    .option('--diagnostics <text>', 'error context for negative codes (no patient data)')
    .option('--responded-at <iso-date-time>', 'response time (default: now)')
    .addOption(formatOption())
    .option('--out <file>', 'write the response to a file instead of stdout')
    .action(ackCommand);
  message
    .command('parse')
    .description('read an ITK3 response (XML or JSON) and print what it says as JSON')
    .argument('<file>', 'ITK3 response message file')
    .action(parseCommand);
}
