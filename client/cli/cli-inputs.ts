/**
 * Inputs every CLI context reads the same way: files named on the command line, consultation snapshot files and
 * numeric options. Errors name the file and the reason, never the content (a snapshot is patient data).
 */
import fs from 'node:fs/promises';
import { InvalidArgumentError } from 'commander';
import type { z } from 'zod';
import { parseConsultationSnapshot, type ResolvedSnapshot } from '../../domain/snapshot';
import { ValidationError, fieldIssuesFromZod } from '../../domain/validation-error';

/** commander argument parser for counts and versions. */
export function positiveInteger(value: string): number {
  if (!/^[1-9]\d*$/.test(value)) throw new InvalidArgumentError('must be a positive integer');
  return Number(value);
}

/**
 * commander argument parser from a zod schema, for identifiers and codes only: commander quotes a rejected value
 * in its error, so free text (which might hold patient data) is validated by the command instead.
 */
export function schemaArgument<T>(schema: z.ZodType<T, z.ZodTypeDef, string>): (value: string) => T {
  return (value) => {
    const result = schema.safeParse(value);
    if (!result.success)
      throw new InvalidArgumentError(
        fieldIssuesFromZod(result.error)
          .map((issue) => issue.reason)
          .join('; '),
      );
    return result.data;
  };
}

/** A text file named on the command line; `what` says which one in the error (e.g. "message file"). */
export async function readTextFile(file: string, what: string): Promise<string> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read ${what} ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}

/** A consultation snapshot (JSON) file, validated by the snapshot contract; a ValidationError names the file. */
export async function readSnapshot(file: string): Promise<ResolvedSnapshot> {
  let json: unknown;
  try {
    json = JSON.parse(await readTextFile(file, 'snapshot file'));
  } catch (error) {
    // JSON.parse's message can quote the file's content, which is patient data.
    if (error instanceof SyntaxError) throw new Error(`snapshot file ${file} is not valid JSON`);
    throw error;
  }
  try {
    return parseConsultationSnapshot(json);
  } catch (error) {
    if (error instanceof ValidationError) throw new ValidationError(`snapshot file ${file}`, error.issues);
    throw error;
  }
}
