/**
 * The MESH password, shared key and key passphrase may come from owner-only files named by `<variable>_FILE`, as
 * Docker secrets deliver them; the value and the file together are refused, and so is a file others may read.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { meshConfigFromEnv } from '../../../integrations/mesh/config';
import { validationIssues } from '../../support/validation-issues';

const MESH = { FEDREPORT_MESH_URL: 'http://127.0.0.1:8700', FEDREPORT_MESH_MAILBOX: 'X26ABC1' };
let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fedreport-mesh-secrets-'));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

function secretFile(name: string, content: string, mode = 0o600): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, content, { mode });
  fs.chmodSync(file, mode);
  return file;
}

it('reads each secret from its file, without the trailing newline', () => {
  const config = meshConfigFromEnv({
    ...MESH,
    FEDREPORT_MESH_PASSWORD_FILE: secretFile('password', 'mailbox password\n'),
    FEDREPORT_MESH_SHARED_KEY_FILE: secretFile('shared-key', 'TestKey'),
    FEDREPORT_MESH_TLS_KEY_PASSPHRASE_FILE: secretFile('passphrase', 'key passphrase\n'),
    FEDREPORT_MESH_TLS_CERT_FILE: 'client.pem',
    FEDREPORT_MESH_TLS_KEY_FILE: 'client.key',
  });
  expect(config).toMatchObject({
    password: 'mailbox password',
    sharedKey: 'TestKey',
    tls: { keyPassphrase: 'key passphrase' },
  });
});

it('refuses the value and its file together, naming the variable', () => {
  const env = {
    ...MESH,
    FEDREPORT_MESH_SHARED_KEY: 'TestKey',
    FEDREPORT_MESH_PASSWORD: 'password',
    FEDREPORT_MESH_PASSWORD_FILE: secretFile('password', 'password'),
  };
  expect(validationIssues(() => meshConfigFromEnv(env))).toEqual([
    {
      field: 'FEDREPORT_MESH_PASSWORD',
      reason: 'must be unset when FEDREPORT_MESH_PASSWORD_FILE is set (set one of them)',
    },
  ]);
});

it('refuses a password file its group may read', () => {
  const file = secretFile('password', 'password', 0o640);
  const env = { ...MESH, FEDREPORT_MESH_SHARED_KEY: 'TestKey', FEDREPORT_MESH_PASSWORD_FILE: file };
  expect(validationIssues(() => meshConfigFromEnv(env))).toEqual([
    {
      field: 'FEDREPORT_MESH_PASSWORD_FILE',
      reason: `${file} is readable or writable by its group or others (mode 0640); a secret file must be owner-only: chmod 600 it`,
    },
  ]);
});
