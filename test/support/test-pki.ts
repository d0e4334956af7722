import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * A throwaway certificate authority made with openssl, for tests of mutual TLS: `<name>.key` and `<name>.crt` files
 * in a fresh temporary folder.
 */
export class TestPki {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fedreport-pki-'));

  file(name: string): string {
    return path.join(this.dir, name);
  }

  read(name: string): Buffer {
    return fs.readFileSync(this.file(name));
  }

  /** A self-signed CA certificate. */
  newCa(name: string, subject = `/CN=${name}`): void {
    this.openssl(
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '2',
      '-subj',
      subject,
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.crt`,
    );
  }

  /** A certificate signed by `ca`; `extensions` add the SAN the TLS client checks, or the key usage. */
  issue(ca: string, name: string, subject: string, extensions: string): void {
    this.openssl(
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.csr`,
      '-subj',
      subject,
    );
    fs.writeFileSync(this.file(`${name}.ext`), `${extensions}\n`);
    this.openssl(
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      `${ca}.crt`,
      '-CAkey',
      `${ca}.key`,
      '-CAcreateserial',
      '-days',
      '2',
      '-extfile',
      `${name}.ext`,
      '-out',
      `${name}.crt`,
    );
  }

  /** Revokes `name`'s certificate and (re)writes `<ca>.crl`, the CA's certificate revocation list. */
  revoke(ca: string, name: string): void {
    const config = `${ca}-crl.cnf`;
    if (!fs.existsSync(this.file(config))) {
      fs.writeFileSync(this.file(`${ca}.index`), '');
      fs.writeFileSync(this.file(`${ca}.crlnumber`), '01\n');
      fs.writeFileSync(
        this.file(config),
        `[ca]\ndefault_ca = crl\n[crl]\ndatabase = ${ca}.index\ncrlnumber = ${ca}.crlnumber\n` +
          'default_md = sha256\ndefault_crl_days = 2\n',
      );
    }
    const signer = ['-config', config, '-keyfile', `${ca}.key`, '-cert', `${ca}.crt`];
    this.openssl('ca', ...signer, '-revoke', `${name}.crt`);
    this.openssl('ca', ...signer, '-gencrl', '-out', `${ca}.crl`);
  }

  private openssl(...args: string[]): void {
    execFileSync('openssl', args, { cwd: this.dir, stdio: 'pipe' });
  }
}
