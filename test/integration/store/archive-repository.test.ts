/**
 * The archive of sent messages on both back ends: the copy written before the send and completed after it,
 * idempotently by message id; answers linked to their message; search by encounter, NHS number (through its keyed
 * hash), practice, date range and state; one message shown with its answers.
 */
import crypto from 'node:crypto';
import type { ArchiveRepository } from '../../../integrations/store/archive-repository';
import type { ArchiveDb } from '../../../integrations/store/database';
import { ValidationError } from '../../../domain/validation-error';
import { ARCHIVE_PATIENT, freshTestArchive, sendingCopy } from '../../support/archive';
import { DATABASE_BACKENDS } from '../../support/databases';

describe.each(DATABASE_BACKENDS)('archive repository on %s', (backend) => {
  let store: Awaited<ReturnType<typeof freshTestArchive>>;
  let db: ArchiveDb;
  let archive: ArchiveRepository;
  beforeAll(async () => {
    store = await freshTestArchive(backend);
    ({ db, archive } = store);
  });
  afterAll(() => store.close());

  it('keeps one copy per message id however often the send is retried, and completes it once', async () => {
    const copy = sendingCopy();
    const attempts = await Promise.all([1, 2, 3].map(() => archive.recordSending(copy)));
    expect(attempts.filter((attempt) => attempt.created)).toHaveLength(1);
    const sent = { localId: copy.localId, meshMessageId: 'MESH-0001', at: new Date('2026-11-21T09:31:00Z') };
    await archive.recordSent(sent);
    await archive.recordSent(sent);
    const [summary] = await archive.search({ encounterGuid: copy.encounterGuid });
    expect(summary).toMatchObject({
      localId: copy.localId,
      state: 'sent',
      meshMessageId: 'MESH-0001',
      sentAt: sent.at,
    });
    expect(await archive.search({ encounterGuid: copy.encounterGuid })).toHaveLength(1);
  });

  it('refuses a retry with other bytes, an outcome for an unknown message and a second MESH id', async () => {
    const copy = sendingCopy();
    await archive.recordSending(copy);
    await expect(archive.recordSending({ ...copy, body: Buffer.from('other') })).rejects.toThrow(
      /body: differs/,
    );
    await expect(
      archive.recordSent({ localId: crypto.randomUUID(), meshMessageId: 'M', at: new Date() }),
    ).rejects.toThrow(/localId: has no archived copy/);
    await archive.recordSent({ localId: copy.localId, meshMessageId: 'MESH-A', at: new Date() });
    await expect(
      archive.recordSent({ localId: copy.localId, meshMessageId: 'MESH-B', at: new Date() }),
    ).rejects.toThrow(/meshMessageId: differs/);
  });

  it('refuses invalid input with a ValidationError naming the field, never its value', async () => {
    const error = (await archive
      .recordSending(sendingCopy({ patient: { nhsNumber: '9434765918' } }))
      .catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toMatch(/patient\.nhsNumber: is not a valid NHS number/);
    expect(error.message).not.toContain('9434765918');
  });

  it('links answers to their message once each, moving its state when the answer decides it', async () => {
    const copy = sendingCopy();
    await archive.recordSending(copy);
    await archive.recordSent({
      localId: copy.localId,
      meshMessageId: 'MESH-ACKED',
      at: new Date('2026-11-21T09:31:00Z'),
    });
    const ack = {
      localId: copy.localId,
      kind: 'itk3-acknowledgement' as const,
      meshMessageId: 'ACK-1',
      code: 'ok',
      body: Buffer.from('<ack/>'),
      at: new Date('2026-11-21T09:40:00Z'),
      messageState: 'acknowledged' as const,
    };
    expect(await archive.recordAnswer(ack)).toEqual({ created: true });
    expect(await archive.recordAnswer(ack)).toEqual({ created: false });
    await archive.recordAnswer({
      ...ack,
      kind: 'mesh-report',
      meshMessageId: 'REPORT-1',
      code: 'EPL-150',
      messageState: undefined,
      at: new Date('2026-11-21T09:41:00Z'),
    });
    await expect(
      archive.recordAnswer({ ...ack, localId: crypto.randomUUID(), meshMessageId: 'ACK-X' }),
    ).rejects.toThrow(/localId: names no archived sent message/);

    const shown = await archive.show(copy.localId);
    expect(shown?.state).toBe('acknowledged');
    expect(shown?.answers.map((a) => [a.kind, a.meshMessageId, a.code, a.body.toString()])).toEqual([
      ['itk3-acknowledgement', 'ACK-1', 'ok', '<ack/>'],
      ['mesh-report', 'REPORT-1', 'EPL-150', '<ack/>'],
    ]);
    expect(shown?.body.equals(Buffer.from(copy.body))).toBe(true);
    expect(shown?.patient).toEqual(ARCHIVE_PATIENT);
  });

  it('finds messages by NHS number, practice, date range and state, newest first', async () => {
    const otherPatient = sendingCopy({
      patient: { nhsNumber: '9000000009' },
      senderOds: 'Y90002',
      at: new Date('2026-10-01T08:00:00Z'),
    });
    const older = sendingCopy({ senderOds: 'Y90002', at: new Date('2026-10-02T08:00:00Z') });
    const newer = sendingCopy({ senderOds: 'Y90002', at: new Date('2026-10-03T08:00:00Z') });
    for (const copy of [otherPatient, older, newer]) await archive.recordSending(copy);
    await archive.recordSent({
      localId: newer.localId,
      meshMessageId: 'MESH-NEWER',
      at: new Date('2026-10-03T08:01:00Z'),
    });
    const ids = async (query: Parameters<ArchiveRepository['search']>[0]) =>
      (await archive.search(query)).map((m) => m.localId);

    expect(await ids({ practiceOds: 'Y90002' })).toEqual([
      newer.localId,
      older.localId,
      otherPatient.localId,
    ]);
    expect(await ids({ practiceOds: 'Y90002', nhsNumber: '943 476 5919' })).toEqual([
      newer.localId,
      older.localId,
    ]);
    expect(
      await ids({
        practiceOds: 'Y90002',
        from: new Date('2026-10-02T00:00:00Z'),
        to: new Date('2026-10-02T23:59:59Z'),
      }),
    ).toEqual([older.localId]);
    expect(await ids({ practiceOds: 'Y90002', state: 'sent' })).toEqual([newer.localId]);
    await expect(
      archive.search({ from: new Date('2026-10-03'), to: new Date('2026-10-02') }),
    ).rejects.toThrow(/to: must not be before from/);
  });

  it('stores an attachment once under its SHA-256 and gives it back', async () => {
    const content = crypto.randomBytes(2048);
    const address = await archive.storeAttachment(content, 'application/pdf');
    expect(await archive.storeAttachment(content, 'application/pdf')).toBe(address);
    expect(address).toBe(crypto.createHash('sha256').update(content).digest('hex'));
    const stored = await archive.readAttachment(address);
    expect(stored?.content.equals(content)).toBe(true);
    await expect(
      db.updateTable('attachments').set({ media_type: 'text/plain' }).where('sha256', '=', address).execute(),
    ).rejects.toThrow(/immutable/);
  });
});
