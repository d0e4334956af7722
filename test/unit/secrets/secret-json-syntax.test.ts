import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import util from 'node:util';
import { loadCodecKeyring } from '../../../common/codec-keys';
import { workerConfigFromEnv } from '../../../worker/config';
import { ValidationError } from '../../../domain/validation-error';

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fedreport-secret-json-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const SECRET = 'hunter2-mailbox-password';

/** Broken files holding the secret, and where the parser stops (as said in the error). */
const BROKEN: [string, string, string][] = [
  ['an unquoted value', `{\n  "X26OT001": ${SECRET}\n}`, 'unexpected character'],
  [
    'a trailing comma',
    `{\n  "X26OT001": "${SECRET}",\n}`,
    'Expected double-quoted property name at line 3, column 1',
  ],
  ['an unquoted key', `{ X26OT001: "${SECRET}" }`, "Expected property name or '}' at line 1, column 3"],
  [
    'a cut-off file',
    `{ "X26OT001": "${SECRET}"`,
    "Expected ',' or '}' after property value at line 1, column 41",
  ],
];

function rejection(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected the file to be refused');
}

/** Each JSON secret setting and what reads it. */
const LOADERS: [string, (file: string) => unknown][] = [
  [
    'FEDREPORT_MESH_MAILBOX_PASSWORDS_FILE',
    (file) =>
      workerConfigFromEnv({
        FEDREPORT_FEDERATION_FILE: 'f.yaml',
        FEDREPORT_MESH_MAILBOX_PASSWORDS_FILE: file,
      }),
  ],
  ['FEDREPORT_CODEC_KEYS_FILE', (file) => loadCodecKeyring({ FEDREPORT_CODEC_KEYS_FILE: file })],
];

describe.each(LOADERS)('a JSON syntax error in %s', (setting, load) => {
  it.each(BROKEN)('with %s names the file and the position, never the content', (_, content, where) => {
    const file = path.join(tmp, 'secrets.json');
    fs.writeFileSync(file, content, { mode: 0o600 });
    const error = rejection(() => load(file));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues).toEqual([
      { field: setting, reason: `${file} is not valid JSON: ${where}` },
    ]);
    // What would reach stderr: message, stack and any cause.
    const printed = util.inspect(error);
    expect(printed).not.toContain(SECRET);
    expect(printed).not.toContain('X26OT001');
  });
});
