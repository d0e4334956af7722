/** The archive database password may come from a file (a Docker secret), so the URL in the environment holds none. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { databaseSettingsFromEnv } from '../../../integrations/store/database-settings';

const URL_WITHOUT_PASSWORD = 'postgres://fedreport@archive-db:5432/fedreport';

function secretFile(content: string): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'fedreport-db-secret-')), 'password');
  fs.writeFileSync(file, content, { mode: 0o600 });
  return file;
}

it('puts the password of FEDREPORT_DATABASE_PASSWORD_FILE into the URL, escaped', () => {
  const settings = databaseSettingsFromEnv({
    FEDREPORT_DATABASE_URL: URL_WITHOUT_PASSWORD,
    FEDREPORT_DATABASE_PASSWORD_FILE: secretFile('p@ss/word\n'),
  });
  const url = new URL(settings.url);
  expect(decodeURIComponent(url.password)).toBe('p@ss/word');
  expect(url.username).toBe('fedreport');
  expect(url.pathname).toBe('/fedreport');
});

it('keeps the URL as given when no password setting is set', () => {
  expect(databaseSettingsFromEnv({ FEDREPORT_DATABASE_URL: URL_WITHOUT_PASSWORD }).url).toBe(
    URL_WITHOUT_PASSWORD,
  );
});

it('refuses the password both as a variable and as a file, naming the variable', () => {
  expect(() =>
    databaseSettingsFromEnv({
      FEDREPORT_DATABASE_URL: URL_WITHOUT_PASSWORD,
      FEDREPORT_DATABASE_PASSWORD: 'x',
      FEDREPORT_DATABASE_PASSWORD_FILE: secretFile('y'),
    }),
  ).toThrow(/FEDREPORT_DATABASE_PASSWORD: must be unset when FEDREPORT_DATABASE_PASSWORD_FILE is set/);
});
