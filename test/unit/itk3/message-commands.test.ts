import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CommanderError } from 'commander';
import { Itk3ParseError } from '../../../integrations/itk3/errors';
import { messageIdentity } from '../../../domain/report-identity';
import { readSendDocumentHeader } from '../../../integrations/itk3/send-document-reader';
import { registerMessageCommands } from '../../../client/cli/message-commands';
import { ValidationError } from '../../../domain/validation-error';
import { runFedreportCli, throwIfFailed } from '../../support/cli';

const EXAMPLE = path.resolve(__dirname, '../../../examples/consultation-temporary-resident.json');
const ENCOUNTER = '4f1c2e9a-7b3d-4c5e-9a1f-2b6d8e0c3a71';
const SAVED_AT = '2026-11-20T10:42:00Z';
/** `message build` of the example's version 1 from the hosting practice's mailbox to its registered practice. */
const buildVersion1 = ['build', '--snapshot', EXAMPLE, '--version', '1', '--sender-mailbox', 'Y90001MB01', '--receiving-ods', 'Y90002'];

describe('fedreport message', () => {
  let dir: string;
  let stdout: string;
  let stderr: string;

  async function cli(...args: string[]): Promise<void> {
    const run = await runFedreportCli(registerMessageCommands, ['message', ...args]);
    stdout += run.stdout;
    stderr += run.stderr;
    throwIfFailed(run);
  }

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fedreport-message-'));
    stdout = '';
    stderr = '';
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('round-trips: build a message, answer it as the receiving practice, parse the answer', async () => {
    const message = path.join(dir, 'message.xml');
    const ack = path.join(dir, 'ack.json');
    await cli(...buildVersion1, '--out', message);
    const identity = messageIdentity(ENCOUNTER, 1, SAVED_AT);
    expect(stderr).toContain(`messageHeaderId ${identity.messageHeaderId}\n`);
    expect(stderr).not.toMatch(/9990000018|Whitfield|GPPROVIDER/);
    expect(readSendDocumentHeader(fs.readFileSync(message)).messageHeaderId).toBe(identity.messageHeaderId);

    await cli(
      'ack',
      '--message',
      message,
      '--code',
      '30002',
      '--responder-ods',
      'Y90002',
      '--responder-mailbox',
      'Y90002MB01',
      '--diagnostics',
      'no record',
      '--format',
      'json',
      '--out',
      ack,
    );
    stdout = '';
    await cli('parse', ack);
    expect(JSON.parse(stdout)).toMatchObject({
      originalMessageHeaderId: identity.messageHeaderId,
      senderReference: ENCOUNTER,
      responderOdsCode: 'Y90002',
      kind: 'business',
      code: '30002',
      positive: false,
      diagnostics: 'no record',
    });
  });

  it('writes the message to stdout, in JSON on request, reproducibly from the snapshot save time', async () => {
    await cli(...buildVersion1, '--format', 'json');
    const first = stdout;
    expect(JSON.parse(first)).toMatchObject({
      resourceType: 'Bundle',
      type: 'message',
      id: messageIdentity(ENCOUNTER, 1, SAVED_AT).messageBundleId,
    });
    stdout = '';
    await cli(...buildVersion1, '--format', 'json');
    expect(stdout).toBe(first);
  });

  it('points a later version at the previous document, warning when it has to assume it', async () => {
    const previous = '8d3b1f2e-6c4a-4e9b-a7d5-0f1e2d3c4b5a';
    process.env.FEDREPORT_MESH_MAILBOX = 'Y90001MB01';
    try {
      await cli(
        'build',
        '--snapshot',
        EXAMPLE,
        '--version',
        '2',
        '--previous-document',
        previous,
        '--built-at',
        '2026-11-20T14:00:00Z',
      );
      expect(stdout).toContain(`<value value="${previous}"/>`);
      expect(stderr).toContain('warning: no --receiving-ods');
      stdout = '';
      stderr = '';
      await cli('build', '--snapshot', EXAMPLE, '--version', '2');
      expect(stderr).toContain('warning: no --previous-document');
      expect(stdout).toContain(
        `<value value="${messageIdentity(ENCOUNTER, 1, SAVED_AT).documentIdentifier}"/>`,
      );
    } finally {
      delete process.env.FEDREPORT_MESH_MAILBOX;
    }
  });

  it('refuses bad input with the field and the reason', async () => {
    await expect(cli('build', '--snapshot', EXAMPLE, '--version', '1')).rejects.toThrow(
      /give --sender-mailbox or set FEDREPORT_MESH_MAILBOX/,
    );
    await expect(
      cli('build', '--snapshot', EXAMPLE, '--version', '0', '--sender-mailbox', 'M'),
    ).rejects.toBeInstanceOf(CommanderError);
    await expect(
      cli('build', '--snapshot', EXAMPLE, '--version', '1', '--format', 'yaml', '--sender-mailbox', 'M'),
    ).rejects.toBeInstanceOf(CommanderError);
    const broken = path.join(dir, 'broken.json');
    fs.writeFileSync(broken, JSON.stringify({ encounterId: 'x' }));
    const error = await cli(
      'build',
      '--snapshot',
      broken,
      '--version',
      '1',
      '--sender-mailbox',
      'Y90001MB01',
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).subject).toBe(`snapshot file ${broken}`);
    fs.writeFileSync(broken, '{"patient": "Whitfield"');
    await expect(
      cli('build', '--snapshot', broken, '--version', '1', '--sender-mailbox', 'Y90001MB01'),
    ).rejects.toThrow(/is not valid JSON$/);
  });

  it('reports an unreadable response as a typed error naming the reason', async () => {
    const file = path.join(dir, 'garbage.xml');
    fs.writeFileSync(file, '<Bundle xmlns="http://hl7.org/fhir"><type value="message">');
    await expect(cli('parse', file)).rejects.toBeInstanceOf(Itk3ParseError);
    await expect(cli('parse', path.join(dir, 'missing.xml'))).rejects.toThrow(
      /cannot read response file .*ENOENT/,
    );
  });
});
