/**
 * `fedreport mesh ...` against mesh-sandbox, configured the way the worker is: FEDREPORT_MESH_* variables.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ValidationError } from '../../../domain/validation-error';
import { registerMeshCommands } from '../../../client/cli/mesh-commands';
import { MESH_SANDBOX_MAILBOX_PASSWORD } from '../../../tooling/mesh-sandbox';
import { resetMesh, testMeshSandbox } from '../../support/mesh';
import { fedreportCliOrThrow } from '../../support/cli';

const ENV_NAMES = [
  'FEDREPORT_MESH_URL',
  'FEDREPORT_MESH_MAILBOX',
  'FEDREPORT_MESH_PASSWORD',
  'FEDREPORT_MESH_SHARED_KEY',
];
const saved = Object.fromEntries(ENV_NAMES.map((name) => [name, process.env[name]]));
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fedreport-mesh-cli-'));

function useMailbox(mailbox: string): void {
  const sandbox = testMeshSandbox();
  Object.assign(process.env, {
    FEDREPORT_MESH_URL: sandbox.url,
    FEDREPORT_MESH_MAILBOX: mailbox,
    FEDREPORT_MESH_PASSWORD: MESH_SANDBOX_MAILBOX_PASSWORD,
    FEDREPORT_MESH_SHARED_KEY: sandbox.sharedKey,
  });
}

/** Runs `fedreport <args>` in-process and returns what it printed. */
async function fedreport(...args: string[]): Promise<string> {
  return (await fedreportCliOrThrow(registerMeshCommands, args)).stdout;
}

beforeEach(() => resetMesh());
afterAll(() => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  fs.rmSync(workDir, { recursive: true, force: true });
});

test('an operator sends, lists, downloads, acknowledges and tracks a message', async () => {
  const content = path.join(workDir, 'report.xml');
  fs.writeFileSync(content, '<Bundle/>');

  useMailbox('X26ABC1');
  expect(await fedreport('mesh', 'handshake')).toBe('handshake ok: X26ABC1\n');
  const sent = JSON.parse(
    await fedreport(
      'mesh',
      'send',
      '--to',
      'X26ABC2',
      '--workflow',
      'GPFED_CONSULT_REPORT',
      '--file',
      content,
      '--subject',
      'Jane Smith',
      '--local-id',
      'enc-3-v1',
      '--compress',
    ),
  ) as { messageId: string; chunks: number };
  expect(sent.chunks).toBe(1);

  useMailbox('X26ABC2');
  expect(await fedreport('mesh', 'inbox')).toBe(`${sent.messageId}\n`);

  const downloaded = path.join(workDir, 'downloaded.xml');
  const shown = JSON.parse(
    await fedreport('mesh', 'download', sent.messageId, '--out', downloaded),
  ) as Record<string, unknown>;
  expect(shown).toMatchObject({
    messageId: sent.messageId,
    from: 'X26ABC1',
    localId: 'enc-3-v1',
    to: '[hidden]',
    subject: '[hidden]',
    bodyBytes: 9,
  });
  expect(fs.readFileSync(downloaded, 'utf8')).toBe('<Bundle/>');
  const revealed = JSON.parse(
    await fedreport('mesh', 'download', sent.messageId, '--show-patient-details'),
  ) as Record<string, unknown>;
  expect(revealed).toMatchObject({ to: 'X26ABC2', subject: 'Jane Smith' });

  expect(await fedreport('mesh', 'ack', sent.messageId)).toBe(`acknowledged ${sent.messageId}\n`);
  expect(await fedreport('mesh', 'inbox')).toBe('');

  useMailbox('X26ABC1');
  expect(JSON.parse(await fedreport('mesh', 'track', sent.messageId))).toMatchObject({
    messageId: sent.messageId,
    status: 'acknowledged',
  });
});

test('a missing setting is reported by its variable name', async () => {
  useMailbox('X26ABC1');
  delete process.env.FEDREPORT_MESH_SHARED_KEY;
  const failure = fedreport('mesh', 'handshake');
  await expect(failure).rejects.toBeInstanceOf(ValidationError);
  await expect(failure).rejects.toThrow('FEDREPORT_MESH_SHARED_KEY (sharedKey): Required');
});
