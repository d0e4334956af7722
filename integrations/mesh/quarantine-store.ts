/**
 * MESH messages kept for operators: unreadable, unmatched, too large, failing, or held for the receiving side. One
 * record per message under `<root>/<MAILBOX>/`: `<messageId>.json` (why, when, MESH headers) and, when kept,
 * `<messageId>.body` (the decoded content). File names come only from validated ids, never from what a sender wrote.
 * Records hold patient details (mex-to, mex-subject, bodies): files are 0600 in 0700 folders.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { ValidationError } from '../../domain/validation-error';
import type { MeshMessageHeaders } from './download';

/** MESH mailbox ids: upper-case letters, digits, `_` and `-`. */
export const quarantineMailboxSchema = z
  .string()
  .regex(/^[A-Z0-9_-]{1,100}$/, 'must be a MESH mailbox id (A-Z, 0-9, _ and -)');
/** MESH message ids: letters, digits, `_` and `-` (e.g. 20240101120000123456_ABCDEF). */
export const quarantineMessageIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,100}$/, 'must be a MESH message id (letters, digits, _ and -)');

/** The setting the worker and the CLI read the quarantine folder from, and its default (relative to the cwd). */
export const QUARANTINE_DIR_VARIABLE = 'FEDREPORT_QUARANTINE_DIR';
export const DEFAULT_QUARANTINE_DIR = 'quarantine';

export function quarantineDirFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env[QUARANTINE_DIR_VARIABLE]?.trim() || DEFAULT_QUARANTINE_DIR);
}

export const QUARANTINE_REASONS = [
  'unreadable',
  'unmatched',
  'too-large',
  'failing',
  'held-document',
] as const;
export type QuarantineReason = (typeof QUARANTINE_REASONS)[number];

const recordSchema = z.object({
  version: z.literal(1),
  mailbox: quarantineMailboxSchema,
  messageId: quarantineMessageIdSchema,
  kind: z.enum(['ack', 'report', 'document', 'unknown']),
  reason: z.enum(QUARANTINE_REASONS),
  /** PHI-free: codes, element names, error types. */
  detail: z.string(),
  quarantinedAt: z.string(),
  attempts: z.number().int().min(0),
  /** False: the message is still in the MESH inbox (a replay downloads it again). */
  acknowledgedInMesh: z.boolean(),
  bodyBytes: z.number().int().min(0).optional(),
  headers: z.record(z.unknown()).optional(),
});

export type QuarantineRecord = Omit<z.infer<typeof recordSchema>, 'headers'> & {
  headers?: MeshMessageHeaders;
};
export type QuarantineKind = QuarantineRecord['kind'];

/** The body to keep: in memory, or a file (e.g. a spooled download) moved into the store. */
export type QuarantineBody = { bytes: Buffer } | { file: string };

export class QuarantineStore {
  constructor(readonly root: string) {}

  /** Creates the folder if needed and proves a file can be written and removed there; throws the file error. */
  async checkWritable(): Promise<void> {
    await fs.mkdir(this.root, { recursive: true, mode: 0o700 });
    const probe = path.join(this.root, `.write-check-${process.pid}`);
    await fs.writeFile(probe, '', { mode: 0o600 });
    await fs.unlink(probe);
  }

  /** A file to stream a download into before it is kept (same file system, so keeping it is a rename). */
  async spoolFile(mailbox: string, messageId: string): Promise<string> {
    const { folder, id } = this.locate(mailbox, messageId);
    const spool = path.join(this.root, '.spool');
    await fs.mkdir(spool, { recursive: true, mode: 0o700 });
    return path.join(spool, `${path.basename(folder)}-${id}.part`);
  }

  /** Keeps a message: the body first, then the record, each written whole (temp file + rename). */
  async put(record: QuarantineRecord, body?: QuarantineBody): Promise<void> {
    const { folder, id } = this.locate(record.mailbox, record.messageId);
    await fs.mkdir(folder, { recursive: true, mode: 0o700 });
    const bodyFile = path.join(folder, `${id}.body`);
    if (body && 'file' in body) await fs.rename(body.file, bodyFile);
    else if (body) await writeWhole(bodyFile, body.bytes);
    await writeWhole(path.join(folder, `${id}.json`), Buffer.from(JSON.stringify(record, null, 2)));
  }

  async get(mailbox: string, messageId: string): Promise<QuarantineRecord | undefined> {
    const { folder, id } = this.locate(mailbox, messageId);
    return readRecord(path.join(folder, `${id}.json`));
  }

  /** The kept body, or undefined when only the headers were kept. */
  async body(mailbox: string, messageId: string): Promise<Buffer | undefined> {
    const { folder, id } = this.locate(mailbox, messageId);
    return fs.readFile(path.join(folder, `${id}.body`)).catch(ifMissing(undefined));
  }

  /** Every record (of one mailbox, or all), oldest first; files that are not valid records are skipped. */
  /** How many messages a mailbox has in quarantine, without reading them (the backlog alert's measure). */
  async count(mailbox: string): Promise<number> {
    const names = await fs.readdir(this.folderOf(mailbox)).catch(ifMissing([] as string[]));
    return names.filter((n) => n.endsWith('.json')).length;
  }

  async list(mailbox?: string): Promise<QuarantineRecord[]> {
    const folders = mailbox ? [this.folderOf(mailbox)] : await this.mailboxFolders();
    const records: QuarantineRecord[] = [];
    for (const folder of folders) {
      const names = await fs.readdir(folder).catch(ifMissing([] as string[]));
      for (const name of names.filter((n) => n.endsWith('.json'))) {
        const record = await readRecord(path.join(folder, name));
        if (record) records.push(record);
      }
    }
    return records.sort((a, b) => a.quarantinedAt.localeCompare(b.quarantinedAt));
  }

  /** Deletes the record and its body; answers whether there was one. */
  async remove(mailbox: string, messageId: string): Promise<boolean> {
    const { folder, id } = this.locate(mailbox, messageId);
    await fs.rm(path.join(folder, `${id}.body`), { force: true });
    return fs.rm(path.join(folder, `${id}.json`)).then(() => true, ifMissing(false));
  }

  /** Paths only from ids that passed validation: nothing a sender wrote can name a file. */
  private locate(mailbox: string, messageId: string): { folder: string; id: string } {
    return { folder: this.folderOf(mailbox), id: validId(quarantineMessageIdSchema, 'messageId', messageId) };
  }

  private folderOf(mailbox: string): string {
    return path.join(this.root, validId(quarantineMailboxSchema, 'mailbox', mailbox));
  }

  private async mailboxFolders(): Promise<string[]> {
    const entries = await fs.readdir(this.root, { withFileTypes: true }).catch(ifMissing([]));
    return entries
      .filter((e) => e.isDirectory() && quarantineMailboxSchema.safeParse(e.name).success)
      .map((e) => path.join(this.root, e.name));
  }
}

function validId(schema: z.ZodType<string>, field: string, value: string): string {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const reason = parsed.error.issues[0]?.message ?? 'invalid';
  throw new ValidationError('quarantined message reference', [{ field, reason }]);
}

async function writeWhole(file: string, bytes: Buffer): Promise<void> {
  const temporary = `${file}.tmp`;
  await fs.writeFile(temporary, bytes, { mode: 0o600 });
  await fs.rename(temporary, file);
}

async function readRecord(file: string): Promise<QuarantineRecord | undefined> {
  const text = await fs.readFile(file, 'utf8').catch(ifMissing(undefined));
  if (text === undefined) return undefined;
  try {
    const parsed = recordSchema.safeParse(JSON.parse(text));
    return parsed.success ? (parsed.data as QuarantineRecord) : undefined;
  } catch {
    return undefined;
  }
}

/** A missing file or folder answers `fallback`; any other file error is thrown. */
function ifMissing<T>(fallback: T): (error: unknown) => T {
  return (error) => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return fallback;
    throw error;
  };
}
