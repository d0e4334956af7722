/**
 * The AES-256 keys of the payload codec. Several keys may be known at once so payloads written under an older key
 * still decode after rotation; exactly one, the active key, encrypts new payloads.
 *
 * Sources, in this order of precedence (setting both is an error, so a half-migrated deployment cannot pick one
 * silently):
 * - FEDREPORT_CODEC_KEYS=`k1:<base64 of 32 bytes>,k2:<…>` with FEDREPORT_CODEC_ACTIVE_KEY=`k2` (optional with one key);
 * - FEDREPORT_CODEC_KEYS_FILE=<path> of a JSON file `{ "activeKeyId": "k2", "keys": { "k1": "<base64>", … } }`.
 * Errors name the key id and the reason, never the key material.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ValidationError, fieldIssuesFromZod, type FieldIssue } from '../domain/validation-error';
import { readSecretJsonFile } from './secret-file';

export const CODEC_KEY_ENV = {
  keys: 'FEDREPORT_CODEC_KEYS',
  activeKey: 'FEDREPORT_CODEC_ACTIVE_KEY',
  keysFile: 'FEDREPORT_CODEC_KEYS_FILE',
} as const;

/** AES-256 takes a 32-byte key. */
const KEY_BYTES = 32;

export interface CodecKeyring {
  /** Key id written into every payload this process encrypts. */
  readonly activeKeyId: string;
  /** Every key this process can decrypt with, by id (the active one included). */
  readonly keys: ReadonlyMap<string, Buffer>;
}

/** Key ids travel in plaintext payload metadata: short, printable, no room for anything but an id. */
const keyIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1-64 letters, digits, ".", "_" or "-"');

const keyMaterialSchema = z.string().transform((value, ctx) => {
  const text = value.trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text) || text.length % 4 !== 0) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      message: `must be standard base64 of ${KEY_BYTES} random bytes`,
    });
    return z.NEVER;
  }
  const key = Buffer.from(text, 'base64');
  if (key.length !== KEY_BYTES) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      message: `must decode to ${KEY_BYTES} bytes for AES-256, got ${key.length} bytes`,
    });
    return z.NEVER;
  }
  return key;
});

const keyringSchema = z
  .object({
    activeKeyId: keyIdSchema.optional(),
    keys: z
      .record(keyIdSchema, keyMaterialSchema)
      .refine((keys) => Object.keys(keys).length > 0, 'needs at least one key'),
  })
  .strict()
  .superRefine((ring, ctx) => {
    const ids = Object.keys(ring.keys);
    if (ring.activeKeyId === undefined && ids.length > 1) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['activeKeyId'],
        message: 'is required when there are several keys',
      });
    } else if (ring.activeKeyId !== undefined && ids.length > 0 && !ids.includes(ring.activeKeyId)) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['activeKeyId'],
        message: `names no configured key (configured: ${ids.join(', ')})`,
      });
    }
  });

/** Validates a keyring description (the JSON file's shape); throws ValidationError naming key and reason. */
export function parseCodecKeyring(input: unknown, source: string): CodecKeyring {
  const result = keyringSchema.safeParse(input);
  if (!result.success) throw new ValidationError(`codec keys (${source})`, fieldIssuesFromZod(result.error));
  const ids = Object.keys(result.data.keys);
  return {
    activeKeyId: result.data.activeKeyId ?? (ids[0] as string),
    keys: new Map(Object.entries(result.data.keys)),
  };
}

/** Loads the keyring from the environment (inline keys or a key file); see the file comment for the formats. */
export function loadCodecKeyring(env: NodeJS.ProcessEnv = process.env): CodecKeyring {
  const inline = env[CODEC_KEY_ENV.keys]?.trim();
  const file = env[CODEC_KEY_ENV.keysFile]?.trim();
  if (inline && file) {
    throw new Error(`set either ${CODEC_KEY_ENV.keys} or ${CODEC_KEY_ENV.keysFile}, not both`);
  }
  if (inline)
    return parseCodecKeyring(inlineKeyring(inline, env[CODEC_KEY_ENV.activeKey]?.trim()), CODEC_KEY_ENV.keys);
  if (file) return parseCodecKeyring(readSecretJsonFile(file, CODEC_KEY_ENV.keysFile), file);
  throw new Error(
    `no payload codec keys configured: set ${CODEC_KEY_ENV.keys} (and ${CODEC_KEY_ENV.activeKey}) or ${CODEC_KEY_ENV.keysFile}; ` +
      'see docs/deployment.md (npm start creates a development key file by itself)',
  );
}

/** `k1:<base64>,k2:<base64>` → the JSON file's shape, so one schema validates both sources. */
function inlineKeyring(text: string, activeKeyId: string | undefined): unknown {
  const keys: Record<string, string> = {};
  const issues: FieldIssue[] = [];
  text.split(',').forEach((entry, index) => {
    const colon = entry.indexOf(':');
    const id = entry.slice(0, colon).trim();
    if (colon <= 0) {
      issues.push({ field: `keys[${index}]`, reason: 'must be KEY_ID:BASE64_KEY' });
    } else if (id in keys) {
      issues.push({ field: `keys.${id}`, reason: 'is configured twice' });
    } else {
      keys[id] = entry.slice(colon + 1);
    }
  });
  if (issues.length > 0) throw new ValidationError(`codec keys (${CODEC_KEY_ENV.keys})`, issues);
  return activeKeyId ? { activeKeyId, keys } : { keys };
}

const DEV_KEY_FILE_NAME = 'codec-keys.json';

/**
 * For the local stack only: the key file under `stateDir`, created with one random key on first use (owner-only
 * permissions), so `npm start` needs no setup and payloads stored by an earlier run still decode.
 */
export function ensureDevCodecKeyFile(stateDir: string): string {
  const file = path.join(path.resolve(stateDir), DEV_KEY_FILE_NAME);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const content = { activeKeyId: 'dev1', keys: { dev1: crypto.randomBytes(KEY_BYTES).toString('base64') } };
  try {
    // 'wx' fails when the file exists: two processes starting at once keep the first one's key.
    fs.writeFileSync(file, `${JSON.stringify(content, null, 2)}\n`, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  // A key file from an older run may have looser permissions, which the key loader now refuses.
  fs.chmodSync(file, 0o600);
  return file;
}
