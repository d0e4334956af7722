import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureDevCodecKeyFile, loadCodecKeyring } from '../../../common/codec-keys';
import { ValidationError } from '../../../domain/validation-error';

const key = (bytes = 32): string => crypto.randomBytes(bytes).toString('base64');

function rejection(env: NodeJS.ProcessEnv): Error {
  try {
    loadCodecKeyring(env);
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the key configuration to be rejected');
}

function issuesOf(env: NodeJS.ProcessEnv): { field: string; reason: string }[] {
  const error = rejection(env);
  expect(error).toBeInstanceOf(ValidationError);
  return (error as ValidationError).issues;
}

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fedreport-codec-keys-'));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('codec keys from the environment', () => {
  it('takes the only key as the active one', () => {
    const ring = loadCodecKeyring({ FEDREPORT_CODEC_KEYS: `k1:${key()}` });
    expect(ring.activeKeyId).toBe('k1');
    expect(ring.keys.get('k1')).toHaveLength(32);
  });

  it('reads several keys and the active key id', () => {
    const ring = loadCodecKeyring({
      FEDREPORT_CODEC_KEYS: `k1:${key()}, k2:${key()}`,
      FEDREPORT_CODEC_ACTIVE_KEY: 'k2',
    });
    expect(ring.activeKeyId).toBe('k2');
    expect([...ring.keys.keys()]).toEqual(['k1', 'k2']);
  });

  it('names the key with the wrong length and says why, without echoing it', () => {
    const short = key(16);
    const error = rejection({
      FEDREPORT_CODEC_KEYS: `k1:${key()},k2:${short}`,
      FEDREPORT_CODEC_ACTIVE_KEY: 'k1',
    });
    expect((error as ValidationError).issues).toEqual([
      { field: 'keys.k2', reason: 'must decode to 32 bytes for AES-256, got 16 bytes' },
    ]);
    expect(error.message).toContain('FEDREPORT_CODEC_KEYS');
    expect(error.message).not.toContain(short);
  });

  it('rejects key material that is not base64', () => {
    expect(issuesOf({ FEDREPORT_CODEC_KEYS: 'k1:not base64!' })).toEqual([
      { field: 'keys.k1', reason: 'must be standard base64 of 32 random bytes' },
    ]);
  });

  it('rejects malformed entries, repeated ids and bad key ids', () => {
    expect(issuesOf({ FEDREPORT_CODEC_KEYS: `k1:${key()},justakey` })).toEqual([
      { field: 'keys[1]', reason: 'must be KEY_ID:BASE64_KEY' },
    ]);
    expect(issuesOf({ FEDREPORT_CODEC_KEYS: `k1:${key()},k1:${key()}` })).toEqual([
      { field: 'keys.k1', reason: 'is configured twice' },
    ]);
    expect(issuesOf({ FEDREPORT_CODEC_KEYS: `bad id:${key()}` })[0]?.field).toBe('keys.bad id');
  });

  it('requires the active key id when there are several keys, and that it names one of them', () => {
    expect(issuesOf({ FEDREPORT_CODEC_KEYS: `k1:${key()},k2:${key()}` })).toEqual([
      { field: 'activeKeyId', reason: 'is required when there are several keys' },
    ]);
    expect(issuesOf({ FEDREPORT_CODEC_KEYS: `k1:${key()}`, FEDREPORT_CODEC_ACTIVE_KEY: 'k9' })).toEqual([
      { field: 'activeKeyId', reason: 'names no configured key (configured: k1)' },
    ]);
  });

  it('says what to set when nothing is configured, and refuses two sources', () => {
    expect(rejection({}).message).toMatch(/FEDREPORT_CODEC_KEYS.*FEDREPORT_CODEC_KEYS_FILE/);
    expect(
      rejection({ FEDREPORT_CODEC_KEYS: `k1:${key()}`, FEDREPORT_CODEC_KEYS_FILE: 'keys.json' }).message,
    ).toMatch(/not both/);
  });
});

describe('codec key file', () => {
  it('reads a JSON key file', () => {
    const file = path.join(tmp, 'keys.json');
    fs.writeFileSync(file, JSON.stringify({ activeKeyId: 'b', keys: { a: key(), b: key() } }), { mode: 0o600 });
    const ring = loadCodecKeyring({ FEDREPORT_CODEC_KEYS_FILE: file });
    expect(ring.activeKeyId).toBe('b');
    expect(ring.keys.size).toBe(2);
  });

  it('names the problem in a bad file', () => {
    const file = path.join(tmp, 'keys.json');
    fs.writeFileSync(file, '{ "keys": ', { mode: 0o600 });
    expect(issuesOf({ FEDREPORT_CODEC_KEYS_FILE: file })).toEqual([
      {
        field: 'FEDREPORT_CODEC_KEYS_FILE',
        reason: `${file} is not valid JSON: Unexpected end of JSON input`,
      },
    ]);
    fs.writeFileSync(file, JSON.stringify({ keys: {} }));
    expect(issuesOf({ FEDREPORT_CODEC_KEYS_FILE: file })).toEqual([
      { field: 'keys', reason: 'needs at least one key' },
    ]);
    expect(rejection({ FEDREPORT_CODEC_KEYS_FILE: path.join(tmp, 'missing.json') }).message).toMatch(
      /FEDREPORT_CODEC_KEYS_FILE: .*missing\.json cannot be read \(ENOENT\)/,
    );
  });

  it('creates a development key file once, owner-only, and keeps it', () => {
    const file = ensureDevCodecKeyFile(path.join(tmp, 'state'));
    const first = loadCodecKeyring({ FEDREPORT_CODEC_KEYS_FILE: file });
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(ensureDevCodecKeyFile(path.join(tmp, 'state'))).toBe(file);
    const again = loadCodecKeyring({ FEDREPORT_CODEC_KEYS_FILE: file });
    expect(again.keys.get(again.activeKeyId)).toEqual(first.keys.get(first.activeKeyId));
  });
});
