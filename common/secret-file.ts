/**
 * Reading configured files that hold secrets (keys, passwords). A secret file readable by the group or by anyone is
 * refused: whoever else can read it can act as this service. Errors name the setting, the file and the reason,
 * never the content: a JSON parser's message may quote the text around the mistake, which is the secret.
 */
import fs from 'node:fs';
import { ValidationError } from '../domain/validation-error';

/** Permission bits for the group and others; none may be set on a secret file. */
const GROUP_OR_OTHER_BITS = 0o077;

/** The file's bytes, after checking that only its owner can read it; `setting` is the variable naming the file. */
export function readSecretFile(file: string, setting: string): Buffer {
  const refuse = (reason: string): ValidationError =>
    new ValidationError(setting, [{ field: setting, reason: `${file} ${reason}` }]);
  let descriptor: number;
  try {
    descriptor = fs.openSync(file, 'r');
  } catch (error) {
    throw refuse(`cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  try {
    // Checked on the open descriptor, so the file read is the file checked.
    const mode = fs.fstatSync(descriptor).mode & 0o777;
    if ((mode & GROUP_OR_OTHER_BITS) !== 0) {
      throw refuse(
        `is readable or writable by its group or others (mode ${mode.toString(8).padStart(4, '0')}); ` +
          'a secret file must be owner-only: chmod 600 it',
      );
    }
    return fs.readFileSync(descriptor);
  } finally {
    fs.closeSync(descriptor);
  }
}

/** A secret file's JSON; a syntax error says where it is (line and column), never what the text there is. */
export function readSecretJsonFile(file: string, setting: string): unknown {
  const text = readSecretFile(file, setting).toString('utf8');
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = `${file} is not valid JSON: ${describeSyntaxError(text, (error as Error).message)}`;
    throw new ValidationError(setting, [{ field: setting, reason }]);
  }
}

/**
 * The parser's reason and where (line, column), without what it found there: V8 quotes the unexpected token and
 * the text around it ("Unexpected token 's', "{"a": secret}" is not valid JSON"), so such messages become generic.
 */
function describeSyntaxError(text: string, parserMessage: string): string {
  const position = /at position (\d+)/.exec(parserMessage);
  const quotesContent = /"|Unexpected token/.test(parserMessage);
  const reason = quotesContent
    ? 'unexpected character'
    : parserMessage.replace(/ (in JSON )?at position \d+$/, '');
  if (position === null) return reason;
  const before = text.slice(0, Number(position[1]));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return `${reason} at line ${line}, column ${column}`;
}

/**
 * A secret setting given as the variable itself or as `<variable>_FILE` naming an owner-only file that holds it (how
 * Docker and Kubernetes secrets reach a process); the file's text without its trailing newline. Setting both is an
 * error, so a half-migrated deployment cannot pick one silently. Undefined when neither is set.
 */
export function secretSetting(env: NodeJS.ProcessEnv, variable: string): string | undefined {
  const fileVariable = `${variable}_FILE`;
  const value = env[variable] || undefined;
  const file = env[fileVariable] || undefined;
  if (file === undefined) return value;
  if (value !== undefined) {
    throw new ValidationError(variable, [
      { field: variable, reason: `must be unset when ${fileVariable} is set (set one of them)` },
    ]);
  }
  return readSecretFile(file, fileVariable)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}
