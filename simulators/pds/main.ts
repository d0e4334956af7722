/**
 * Runs the PDS double for the local stack: `tsx simulators/pds/main.ts [--port 9000] [--host 127.0.0.1]
 * [--token-public-key FILE] [--patients FILE]`, or the same through PDS_DOUBLE_PORT, PDS_DOUBLE_HOST,
 * PDS_DOUBLE_TOKEN_PUBLIC_KEY_FILE, FEDREPORT_PDS_PATIENTS_FILE (extra patients, patients-file.ts). Flags win over
 * the environment. Port 9000 is the port the official sandbox container listens on.
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { ValidationError, fieldIssuesFromZod } from '../../domain/validation-error';
import { loadPdsPatientsFile, PDS_PATIENTS_FILE_ENV } from './patients-file';
import { startPdsDouble } from './server';

const settingsSchema = z.object({
  port: z.coerce.number().int('must be a whole number').min(0).max(65_535).default(9000),
  host: z.string().min(1).default('127.0.0.1'),
  tokenPublicKeyFile: z.string().min(1).optional(),
  patientsFile: z.string().min(1).optional(),
});

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'token-public-key': { type: 'string' },
      patients: { type: 'string' },
    },
  });
  const parsed = settingsSchema.safeParse({
    port: values.port ?? process.env.PDS_DOUBLE_PORT,
    host: values.host ?? process.env.PDS_DOUBLE_HOST,
    tokenPublicKeyFile: values['token-public-key'] ?? process.env.PDS_DOUBLE_TOKEN_PUBLIC_KEY_FILE,
    patientsFile: values.patients ?? (process.env[PDS_PATIENTS_FILE_ENV] || undefined),
  });
  if (!parsed.success) throw new ValidationError('PDS double settings', fieldIssuesFromZod(parsed.error));
  const { port, host, tokenPublicKeyFile, patientsFile } = parsed.data;
  const double = await startPdsDouble({
    port,
    host,
    ...(tokenPublicKeyFile ? { tokenPublicKey: fs.readFileSync(tokenPublicKeyFile) } : {}),
    ...(patientsFile ? { patients: await loadPdsPatientsFile(patientsFile) } : {}),
  });
  process.stdout.write(
    `PDS double listening: FEDREPORT_PDS_BASE_URL=${double.url}${tokenPublicKeyFile ? ` FEDREPORT_PDS_TOKEN_URL=${double.tokenUrl}` : ''}\n`,
  );
  const stop = () => {
    double.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  // A ValidationError's message lists every field and reason (never a value).
  process.stderr.write(
    `PDS double failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
