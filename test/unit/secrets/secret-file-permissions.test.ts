import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { apiConfigFromEnv } from '../../../client/api/config';
import { ensureDevCodecKeyFile, loadCodecKeyring } from '../../../common/codec-keys';
import {
  temporalConnectionConfigFromEnv,
  temporalConnectionOptions,
} from '../../../common/temporal-connection';
import { meshConfigFromEnv } from '../../../integrations/mesh/config';
import { MeshTransport } from '../../../integrations/mesh/transport';
import { createPdsClient } from '../../../integrations/pds/client';
import { workerConfigFromEnv } from '../../../worker/config';
import { validationIssues } from '../../support/validation-issues';
import { TestPki } from '../../support/test-pki';

const pki = new TestPki();
pki.newCa('server');
let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fedreport-secret-mode-'));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));
afterAll(() => fs.rmSync(pki.dir, { recursive: true, force: true }));

/** A copy of `content` at `mode`. */
function secretFile(name: string, content: string | Buffer, mode: number): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, content, { mode });
  fs.chmodSync(file, mode); // the umask may have cleared bits the test wants set
  return file;
}

const keyJson = JSON.stringify({ keys: { k1: crypto.randomBytes(32).toString('base64') } });
const pem = () => pki.read('server.key');

/** Each secret setting, with what reads it and the file content it expects. */
const SECRET_SETTINGS: [string, () => string | Buffer, (file: string) => unknown][] = [
  [
    'FEDREPORT_CODEC_KEYS_FILE',
    () => keyJson,
    (file) => loadCodecKeyring({ FEDREPORT_CODEC_KEYS_FILE: file }),
  ],
  [
    'FEDREPORT_MESH_MAILBOX_PASSWORDS_FILE',
    () => '{ "X26OT001": "password" }',
    (file) =>
      workerConfigFromEnv({
        FEDREPORT_FEDERATION_FILE: 'f.yaml',
        FEDREPORT_MESH_MAILBOX_PASSWORDS_FILE: file,
      }),
  ],
  [
    'FEDREPORT_PDS_PRIVATE_KEY_FILE',
    pem,
    (file) =>
      createPdsClient({
        baseUrl: 'https://pds.example/FHIR/R4',
        timeoutMs: 1_000,
        auth: {
          mode: 'signed-jwt',
          apiKey: 'k',
          keyId: 'k1',
          privateKeyFile: file,
          tokenUrl: 'https://pds.example/t',
          jwtLifetimeSeconds: 300,
        },
      }),
  ],
  [
    'FEDREPORT_MESH_TLS_KEY_FILE',
    pem,
    (file) =>
      new MeshTransport(
        meshConfigFromEnv({
          FEDREPORT_MESH_URL: 'https://mesh.example',
          FEDREPORT_MESH_MAILBOX: 'X26OT001',
          FEDREPORT_MESH_PASSWORD: 'p',
          FEDREPORT_MESH_SHARED_KEY: 's',
          FEDREPORT_MESH_TLS_CERT_FILE: pki.file('server.crt'),
          FEDREPORT_MESH_TLS_KEY_FILE: file,
        }),
        'test',
      ),
  ],
  [
    'FEDREPORT_TEMPORAL_TLS_KEY_FILE',
    pem,
    (file) =>
      temporalConnectionOptions(
        temporalConnectionConfigFromEnv({
          FEDREPORT_TEMPORAL_TLS_CERT_FILE: pki.file('server.crt'),
          FEDREPORT_TEMPORAL_TLS_KEY_FILE: file,
        }),
      ),
  ],
  [
    'FEDREPORT_API_TLS_KEY_FILE',
    pem,
    (file) =>
      apiConfigFromEnv({
        FEDREPORT_API_TOKENS: 'a-long-enough-token-for-the-api-0001',
        FEDREPORT_API_TLS_CERT_FILE: pki.file('server.crt'),
        FEDREPORT_API_TLS_KEY_FILE: file,
      }),
  ],
];

describe.each(SECRET_SETTINGS)('%s', (setting, content, load) => {
  it('is read when only its owner can read it', () => {
    expect(() => load(secretFile('secret', content(), 0o600))).not.toThrow();
  });

  it.each([0o640, 0o604, 0o620])('is refused at mode %o, naming the setting and the mode', (mode) => {
    const file = secretFile('secret', content(), mode);
    expect(validationIssues(() => load(file))).toEqual([
      {
        field: setting,
        reason: `${file} is readable or writable by its group or others (mode 0${mode.toString(8)}); a secret file must be owner-only: chmod 600 it`,
      },
    ]);
  });
});

describe('the local stack development key file', () => {
  it('is made owner-only again when an older run left it readable by others', () => {
    const file = ensureDevCodecKeyFile(tmp);
    fs.chmodSync(file, 0o644);
    expect(ensureDevCodecKeyFile(tmp)).toBe(file);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(() => loadCodecKeyring({ FEDREPORT_CODEC_KEYS_FILE: file })).not.toThrow();
  });
});
