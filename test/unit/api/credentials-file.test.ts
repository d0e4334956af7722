import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { apiConfigFromEnv } from '../../../client/api/config';
import { ValidationError } from '../../../domain/validation-error';
import { validationIssues as issues } from '../../support/validation-issues';

const TOKEN = 'a-token-of-sixteen+';
const FINGERPRINT = 'ab'.repeat(32);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fedreport-credentials-'));

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let files = 0;
function credentialsFile(content: unknown): string {
  const file = path.join(dir, `credentials-${files++}.json`);
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content), { mode: 0o600 });
  return file;
}

const bearerEnv = (content: unknown) => ({ FEDREPORT_API_CREDENTIALS_FILE: credentialsFile(content) });

describe('API credentials file', () => {
  const credentials = {
    tokens: [
      { name: 'north-system', token: TOKEN, practices: ['Y90001', 'Y90002'] },
      { name: 'federation-hub', token: `${TOKEN}2`, practices: '*' },
    ],
    certificates: [{ name: 'north-cert', subject: 'O = Trust, CN = north', practices: ['Y90001'] }],
  };

  it('maps each token to the practices it acts for', () => {
    expect(apiConfigFromEnv(bearerEnv(credentials)).auth).toEqual({
      mode: 'bearer',
      tokens: credentials.tokens,
    });
  });

  it('is the certificate allow-list under mutual TLS, with the CA and the CRL read', () => {
    const pem = path.join(dir, 'any.pem');
    fs.writeFileSync(pem, 'pem', { mode: 0o600 });
    const config = apiConfigFromEnv({
      ...bearerEnv(credentials),
      FEDREPORT_API_AUTH: 'mtls',
      FEDREPORT_API_TLS_CERT_FILE: pem,
      FEDREPORT_API_TLS_KEY_FILE: pem,
      FEDREPORT_API_TLS_CLIENT_CA_FILE: pem,
      FEDREPORT_API_TLS_CRL_FILE: pem,
    });
    expect(config.auth).toEqual({ mode: 'mtls', certificates: credentials.certificates });
    expect(config.tls?.crl?.toString()).toBe('pem');
  });

  it('names each wrong entry field and why', () => {
    const wrong = {
      tokens: [
        { name: 'a', token: 'short', practices: [] },
        { name: 'b', token: TOKEN, practices: ['y9'], scope: 'all' },
      ],
      certificates: [
        { name: 'c', practices: ['Y90001'] },
        { name: 'd', sha256: 'ab:cd', practices: ['Y90001'] },
      ],
    };
    const at = 'FEDREPORT_API_CREDENTIALS_FILE: ';
    expect(issues(() => apiConfigFromEnv(bearerEnv(wrong)))).toEqual([
      { field: `${at}tokens[0].token`, reason: 'must be at least 16 characters' },
      {
        field: `${at}tokens[0].practices`,
        reason: 'must list at least one ODS code, or be "*" for every practice',
      },
      {
        field: `${at}tokens[1].practices[0]`,
        reason: 'must be an ODS code (3-10 upper-case letters or digits)',
      },
      { field: `${at}tokens[1]`, reason: 'has unknown field(s) scope' },
      { field: `${at}certificates[0].subject`, reason: 'needs a subject, a sha256 fingerprint, or both' },
      { field: `${at}certificates[1].sha256`, reason: 'must be a SHA-256 fingerprint (64 hex digits)' },
    ]);
  });

  it('refuses a name or a token used twice', () => {
    const twice = {
      tokens: [
        { name: 'a', token: TOKEN, practices: '*' },
        { name: 'a', token: TOKEN, practices: '*' },
      ],
      certificates: [{ name: 'a', sha256: FINGERPRINT, practices: '*' }],
    };
    const at = 'FEDREPORT_API_CREDENTIALS_FILE: ';
    expect(issues(() => apiConfigFromEnv(bearerEnv(twice)))).toEqual([
      { field: `${at}tokens[1].name`, reason: 'is used by another entry' },
      { field: `${at}certificates[0].name`, reason: 'is used by another entry' },
      { field: `${at}tokens[1].token`, reason: 'is the token of another entry' },
    ]);
  });

  it('never quotes the file: a JSON syntax error names the line and column only', () => {
    const error = (() => {
      try {
        return apiConfigFromEnv(bearerEnv(`{"tokens": [{"token": "${TOKEN}",}]}`));
      } catch (thrown) {
        return thrown;
      }
    })();
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues).toEqual([
      { field: 'FEDREPORT_API_CREDENTIALS_FILE', reason: expect.stringMatching(/is not valid JSON.*line 1/) },
    ]);
    expect((error as Error).message).not.toContain(TOKEN);
  });

  it('is refused when its group or others may read it', () => {
    const file = credentialsFile({ tokens: [{ name: 'a', token: TOKEN, practices: '*' }] });
    fs.chmodSync(file, 0o644);
    expect(issues(() => apiConfigFromEnv({ FEDREPORT_API_CREDENTIALS_FILE: file }))).toEqual([
      { field: 'FEDREPORT_API_CREDENTIALS_FILE', reason: expect.stringContaining('is readable or writable by its group or others (mode 0644)') },
    ]);
  });

  it('needs an entry of the chosen mode, and stands alone', () => {
    const certificatesOnly = {
      certificates: [{ name: 'c', sha256: FINGERPRINT, practices: ['Y90001'] }],
    };
    expect(issues(() => apiConfigFromEnv(bearerEnv(certificatesOnly)))).toEqual([
      {
        field: 'FEDREPORT_API_CREDENTIALS_FILE: tokens',
        reason: 'needs at least one entry when FEDREPORT_API_AUTH is bearer',
      },
    ]);
    const both = { ...bearerEnv(certificatesOnly), FEDREPORT_API_TOKENS: TOKEN };
    expect(issues(() => apiConfigFromEnv(both))).toEqual([
      {
        field: 'FEDREPORT_API_TOKENS',
        reason: 'must be unset when FEDREPORT_API_CREDENTIALS_FILE is set (list tokens there)',
      },
    ]);
    const crlWithTokens = { FEDREPORT_API_TOKENS: TOKEN, FEDREPORT_API_TLS_CRL_FILE: 'ca.crl' };
    expect(issues(() => apiConfigFromEnv(crlWithTokens))).toEqual([
      {
        field: 'FEDREPORT_API_TLS_CRL_FILE',
        reason: 'applies to client certificates: set FEDREPORT_API_AUTH=mtls or unset it',
      },
    ]);
  });
});
