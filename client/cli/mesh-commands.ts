/**
 * `fedreport mesh handshake|send|inbox|download|ack|track`: an operator's view of the configured MESH mailbox, using
 * exactly the configuration the worker reads (FEDREPORT_MESH_* variables, docs/mesh.md). mex-to and mex-subject
 * carry patient details, so downloads show them only with --show-patient-details.
 */
import fs from 'node:fs/promises';
import { Command, InvalidArgumentError } from 'commander';
import { createMeshClient, type MeshClient } from '../../integrations/mesh/client';
import { meshConfigFromEnv } from '../../integrations/mesh/config';

function positiveInteger(value: string): number {
  if (!/^[1-9]\d*$/.test(value)) throw new InvalidArgumentError('must be a positive integer');
  return Number(value);
}

/** Runs one command with a client for the configured mailbox, always releasing its connections. */
async function withClient<T>(work: (client: MeshClient) => Promise<T>): Promise<T> {
  const client = createMeshClient(meshConfigFromEnv());
  try {
    return await work(client);
  } finally {
    await client.close();
  }
}

function printer(command: Command): (text: string) => void {
  return (text) => command.configureOutput().writeOut?.(`${text}\n`);
}

async function readBody(file: string | undefined): Promise<Buffer> {
  if (file !== undefined && file !== '-') {
    try {
      return await fs.readFile(file);
    } catch (error) {
      throw new Error(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

interface SendOptions {
  to: string;
  workflow: string;
  file?: string;
  subject?: string;
  localId?: string;
  filename?: string;
  contentType?: string;
  compress?: boolean;
}

interface InboxOptions {
  maxResults?: number;
  workflowFilter?: string;
}

interface DownloadOptions {
  out?: string;
  showPatientDetails?: boolean;
}

export function registerMeshCommands(program: Command): void {
  const mesh = program
    .command('mesh')
    .description('diagnose the configured MESH mailbox (FEDREPORT_MESH_* settings)');

  mesh
    .command('handshake')
    .description('validate the mailbox and its credentials')
    .action(async (_options: unknown, command: Command) => {
      await withClient((client) => client.handshake());
      printer(command)(`handshake ok: ${meshConfigFromEnv().mailbox}`);
    });

  mesh
    .command('send')
    .description('send a message (content from --file, or standard input)')
    .requiredOption('--to <mailbox>', 'recipient mailbox id or GPPROVIDER address')
    .requiredOption('--workflow <id>', 'MESH workflow id, e.g. GPFED_CONSULT_REPORT')
    .option('--file <path>', 'content file ("-" or absent: standard input)')
    .option('--subject <text>', 'mex-subject')
    .option('--local-id <id>', 'mex-localid: your reference, without patient details')
    .option('--filename <name>', 'mex-filename')
    .option('--content-type <type>', 'MIME type of the content, e.g. application/fhir+xml')
    .option('--compress', 'gzip the content in transit')
    .action(async (options: SendOptions, command: Command) => {
      const body = await readBody(options.file);
      const sent = await withClient((client) =>
        client.send({
          to: options.to,
          workflowId: options.workflow,
          body,
          subject: options.subject,
          localId: options.localId,
          filename: options.filename,
          contentType: options.contentType,
          compress: options.compress ?? false,
        }),
      );
      printer(command)(JSON.stringify({ messageId: sent.messageId, chunks: sent.chunks }));
    });

  mesh
    .command('inbox')
    .description('list the ids of messages waiting in the inbox, one per line (all pages)')
    .option('--max-results <n>', 'page size (10–5000; MESH default 500)', positiveInteger)
    .option('--workflow-filter <filter>', 'MESH workflow filter, e.g. "GPFED_*" or "!*_ACK*"')
    .action(async (options: InboxOptions, command: Command) => {
      const print = printer(command);
      await withClient(async (client) => {
        for await (const page of client.inboxPages(options)) for (const id of page) print(id);
      });
    });

  mesh
    .command('download')
    .description('download a message: its MESH headers as JSON, and its content to --out')
    .argument('<messageId>')
    .option('--out <file>', 'write the content here')
    .option('--show-patient-details', 'include mex-to and mex-subject (patient details) in the output')
    .action(async (messageId: string, options: DownloadOptions, command: Command) => {
      const message = await withClient((client) => client.download(messageId));
      if (options.out !== undefined) await fs.writeFile(options.out, message.body);
      const { body, to, subject, ...description } = message;
      const shown = options.showPatientDetails
        ? { ...description, to, subject }
        : { ...description, to: '[hidden]', subject: '[hidden]' };
      printer(command)(JSON.stringify({ ...shown, bodyBytes: body.length, writtenTo: options.out }, null, 2));
    });

  mesh
    .command('ack')
    .description('acknowledge messages (removes them from the inbox)')
    .argument('<messageIds...>')
    .action(async (messageIds: string[], _options: unknown, command: Command) => {
      const print = printer(command);
      await withClient(async (client) => {
        for (const id of messageIds) {
          await client.acknowledge(id);
          print(`acknowledged ${id}`);
        }
      });
    });

  mesh
    .command('track')
    .description('tracking information of a message this mailbox sent')
    .argument('<messageId>')
    .action(async (messageId: string, _options: unknown, command: Command) => {
      const tracking = await withClient((client) => client.track(messageId));
      printer(command)(JSON.stringify(tracking, null, 2));
    });
}
