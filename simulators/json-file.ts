/**
 * Data files the simulators read (the PDS double's extra patients, the MESH router's endpoint directory): JSON,
 * checked with a zod schema, every problem a ValidationError naming the file, the field and the reason.
 */
import type { z } from 'zod';
import { readSettingsFile } from '../integrations/federation/loader';
import { parseOrThrow, ValidationError } from '../domain/validation-error';

/** Parses `input` with `schema`; `source` names the input in the error (a file name, "endpoint directory"). */
export function parseWithSchema<S extends z.ZodTypeAny>(
  schema: S,
  input: unknown,
  source: string,
): z.output<S> {
  return parseOrThrow(schema, input, source, { nameUnknownFields: true });
}

export async function readJsonFile<S extends z.ZodTypeAny>(schema: S, file: string): Promise<z.output<S>> {
  const text = await readSettingsFile(file);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // JSON.parse messages quote the text around the fault, which may be patient data.
    throw new ValidationError(file, [{ field: '(root)', reason: 'is not JSON' }]);
  }
  return parseWithSchema(schema, json, file);
}
