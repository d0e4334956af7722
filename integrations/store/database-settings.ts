/**
 * Where the archive database is and how many connections a process may hold, from FEDREPORT_DATABASE_* settings.
 * Errors name the setting and the reason, never the URL (it may carry a password).
 */
import { z } from 'zod';
import { ValidationError, fieldIssuesFromZod } from '../../domain/validation-error';
import { integerText } from '../../common/env-fields';
import { secretSetting } from '../../common/secret-file';

export const DATABASE_ENV = {
  url: 'FEDREPORT_DATABASE_URL',
  poolSize: 'FEDREPORT_DATABASE_POOL_SIZE',
  /** Or FEDREPORT_DATABASE_PASSWORD_FILE (a Docker secret): the password, so the URL in the environment carries none. */
  password: 'FEDREPORT_DATABASE_PASSWORD',
} as const;

export interface DatabaseSettings {
  /** postgres://user:password@host:port/database */
  readonly url: string;
  /** The most connections this process opens; the embedded PGlite server serves one session, so 1 is enough there. */
  readonly poolSize: number;
}

const DEFAULT_POOL_SIZE = 10;

const postgresUrl = z.string().refine((text) => {
  try {
    return ['postgres:', 'postgresql:'].includes(new URL(text.trim()).protocol);
  } catch {
    return false;
  }
}, 'must be a PostgreSQL URL: postgres://USER:PASSWORD@HOST:PORT/DATABASE');

const envSchema = z.object({
  [DATABASE_ENV.url]: z
    .string({ required_error: 'is required (docs/deployment.md, Archive database)' })
    .pipe(postgresUrl),
  [DATABASE_ENV.poolSize]: integerText(1, 100).optional(),
});

export function databaseSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): DatabaseSettings {
  const result = envSchema.safeParse(env);
  if (!result.success)
    throw new ValidationError('archive database settings', fieldIssuesFromZod(result.error));
  const password = secretSetting(env, DATABASE_ENV.password);
  const url = new URL(result.data[DATABASE_ENV.url].trim());
  if (password !== undefined) url.password = encodeURIComponent(password);
  return {
    url: url.toString(),
    poolSize: result.data[DATABASE_ENV.poolSize] ?? DEFAULT_POOL_SIZE,
  };
}
