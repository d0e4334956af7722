import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  QuarantineStore,
  quarantineDirFromEnv,
  type QuarantineRecord,
} from '../../../integrations/mesh/quarantine-store';
import { ValidationError } from '../../../domain/validation-error';

const root = () => fs.mkdtempSync(path.join(os.tmpdir(), 'fedreport-quarantine-test-'));

function record(overrides: Partial<QuarantineRecord> = {}): QuarantineRecord {
  return {
    version: 1,
    mailbox: 'X26ABC1',
    messageId: '20240101120000123456_ABCDEF',
    kind: 'ack',
    reason: 'unreadable',
    detail: 'unreadable: not FHIR',
    quarantinedAt: '2026-01-01T12:00:00.000Z',
    attempts: 0,
    acknowledgedInMesh: true,
    bodyBytes: 5,
    ...overrides,
  };
}

describe('the quarantine store', () => {
  it('keeps a record and its body, lists them oldest first, and removes them', async () => {
    const store = new QuarantineStore(root());
    await store.put(record(), { bytes: Buffer.from('hello') });
    await store.put(record({ messageId: 'OLDER', quarantinedAt: '2025-12-31T00:00:00.000Z' }));
    await store.put(record({ mailbox: 'X26ABC2', messageId: 'OTHER' }));

    expect((await store.list()).map((r) => r.messageId)).toEqual([
      'OLDER',
      '20240101120000123456_ABCDEF',
      'OTHER',
    ]);
    expect((await store.list('X26ABC2')).map((r) => r.messageId)).toEqual(['OTHER']);
    expect(await store.get('X26ABC1', '20240101120000123456_ABCDEF')).toEqual(record());
    expect((await store.body('X26ABC1', '20240101120000123456_ABCDEF'))?.toString()).toBe('hello');
    expect(await store.body('X26ABC1', 'OLDER')).toBeUndefined();

    expect(await store.remove('X26ABC1', '20240101120000123456_ABCDEF')).toBe(true);
    expect(await store.remove('X26ABC1', '20240101120000123456_ABCDEF')).toBe(false);
    expect(await store.get('X26ABC1', '20240101120000123456_ABCDEF')).toBeUndefined();
  });

  it('counts a mailbox’s quarantined messages (the backlog alert’s measure), bodies and other mailboxes aside', async () => {
    const store = new QuarantineStore(root());
    expect(await store.count('X26ABC1')).toBe(0);
    await store.put(record(), { bytes: Buffer.from('hello') });
    await store.put(record({ messageId: 'SECOND' }));
    await store.put(record({ mailbox: 'X26ABC2', messageId: 'OTHER' }));
    expect(await store.count('X26ABC1')).toBe(2);
  });

  it('moves a spooled download in rather than copying it, and keeps files private', async () => {
    const store = new QuarantineStore(root());
    const spool = await store.spoolFile('X26ABC1', 'BIG');
    fs.writeFileSync(spool, 'streamed');
    await store.put(record({ messageId: 'BIG', kind: 'document', reason: 'held-document' }), { file: spool });
    expect(fs.existsSync(spool)).toBe(false);
    expect((await store.body('X26ABC1', 'BIG'))?.toString()).toBe('streamed');
    const mode = fs.statSync(path.join(store.root, 'X26ABC1', 'BIG.json')).mode & 0o777;
    expect(mode).toBe(0o600);
    expect(fs.statSync(path.join(store.root, 'X26ABC1')).mode & 0o777).toBe(0o700);
  });

  it.each([
    ['a path in the message id', 'X26ABC1', '../../etc/passwd', 'messageId'],
    ['a dot-dot message id', 'X26ABC1', '..', 'messageId'],
    ['a slash in the mailbox', 'X26/ABC1', 'M1', 'mailbox'],
    ['a lower-case mailbox', 'x26abc1', 'M1', 'mailbox'],
    ['an empty message id', 'X26ABC1', '', 'messageId'],
  ])('names files only from validated ids: refuses %s', async (_case, mailbox, messageId, field) => {
    const store = new QuarantineStore(root());
    const refused = await store.put(record({ mailbox, messageId })).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ValidationError);
    expect((refused as ValidationError).issues).toEqual([{ field, reason: expect.any(String) }]);
    await expect(store.get(mailbox, messageId)).rejects.toBeInstanceOf(ValidationError);
  });

  it('skips files that are not valid records, and folders that are not mailboxes', async () => {
    const store = new QuarantineStore(root());
    await store.put(record());
    fs.writeFileSync(path.join(store.root, 'X26ABC1', 'junk.json'), '{"version": 2}');
    fs.writeFileSync(path.join(store.root, 'X26ABC1', 'broken.json'), '{');
    fs.mkdirSync(path.join(store.root, 'not-a-mailbox'));
    expect(await store.list()).toHaveLength(1);
    expect(await new QuarantineStore(path.join(store.root, 'missing')).list()).toEqual([]);
  });

  it('checks that it can write, creating the folder, and reports the file error when it cannot', async () => {
    const base = root();
    await expect(new QuarantineStore(path.join(base, 'a', 'b')).checkWritable()).resolves.toBeUndefined();
    expect(fs.readdirSync(path.join(base, 'a', 'b'))).toEqual([]);
    fs.writeFileSync(path.join(base, 'file'), '');
    await expect(new QuarantineStore(path.join(base, 'file', 'q')).checkWritable()).rejects.toMatchObject({
      code: 'ENOTDIR',
    });
  });

  it('reads its folder from FEDREPORT_QUARANTINE_DIR, relative to the working directory by default', () => {
    expect(quarantineDirFromEnv({ FEDREPORT_QUARANTINE_DIR: '/var/lib/fedreport/quarantine' })).toBe(
      '/var/lib/fedreport/quarantine',
    );
    expect(quarantineDirFromEnv({})).toBe(path.resolve('quarantine'));
  });
});
