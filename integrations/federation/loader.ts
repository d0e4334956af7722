/**
 * Reads and validates a federation settings file (YAML; JSON is valid YAML too). Every problem comes back as a
 * ValidationError naming the key path and the reason.
 */
import fs from 'node:fs/promises';
import { parseDocument } from 'yaml';
import { fieldIssuesFromZod, ValidationError } from '../../domain/validation-error';
import { federationFileSchema } from './schema';
import { resolveFederationSettings, type FederationSettings } from './settings';

/** Environment variable naming the settings file the worker and the CLI read. */
export const FEDERATION_FILE_ENV = 'FEDREPORT_FEDERATION_FILE';

export function parseFederationSettings(text: string, source: string): FederationSettings {
  const document = parseDocument(text);
  if (document.errors.length > 0) {
    throw new ValidationError(
      source,
      document.errors.map((e) => ({
        field: '(root)',
        reason: `is not valid YAML (${e.code}${e.linePos ? ` at line ${e.linePos[0].line}, column ${e.linePos[0].col}` : ''})`,
      })),
    );
  }
  const parsed = federationFileSchema.safeParse(document.toJS());
  if (!parsed.success) throw new ValidationError(source, fieldIssuesFromZod(parsed.error, { nameUnknownFields: true }));
  return resolveFederationSettings(parsed.data);
}

export async function loadFederationSettings(file: string): Promise<FederationSettings> {
  return parseFederationSettings(await readSettingsFile(file), file);
}

/** The file's text; a ValidationError when it cannot be read. */
export async function readSettingsFile(file: string): Promise<string> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (error) {
    // Duck-typed: instanceof Error fails for Node's errors inside Jest's VM.
    const code =
      typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : 'unknown error';
    throw new ValidationError(file, [{ field: '(file)', reason: `cannot be read (${code})` }]);
  }
}
