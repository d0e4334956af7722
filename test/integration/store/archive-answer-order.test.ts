/**
 * Answers that overtake each other, on both back ends: an answer recorded before the send's completion (the attempt
 * died after MESH took the message) keeps its state when the retry completes the copy, and a positive ack arriving
 * after a negative answer does not make a rejected or undeliverable message look acknowledged.
 */
import type { ArchiveRepository } from '../../../integrations/store/archive-repository';
import type { Answer } from '../../../integrations/store/archive-records';
import { freshTestArchive, sendingCopy } from '../../support/archive';
import { DATABASE_BACKENDS } from '../../support/databases';

describe.each(DATABASE_BACKENDS)('archive answers out of order on %s', (backend) => {
  let store: Awaited<ReturnType<typeof freshTestArchive>>;
  let archive: ArchiveRepository;
  beforeAll(async () => {
    store = await freshTestArchive(backend);
    ({ archive } = store);
  });
  afterAll(() => store.close());

  const answer = (localId: string, overrides: Partial<Answer>): Answer => ({
    localId,
    kind: 'itk3-acknowledgement',
    meshMessageId: `ANSWER-${Math.random().toString(36).slice(2)}`,
    code: '10001',
    body: Buffer.from('<ack/>'),
    at: new Date('2026-11-21T09:40:00Z'),
    ...overrides,
  });

  it('completes a copy whose ack came first without losing the acknowledgement', async () => {
    const copy = sendingCopy();
    await archive.recordSending(copy);
    await archive.recordAnswer(answer(copy.localId, { messageState: 'acknowledged' }));
    await archive.recordSent({ localId: copy.localId, meshMessageId: 'MESH-LATE', at: new Date() });
    await archive.recordSent({ localId: copy.localId, meshMessageId: 'MESH-LATE', at: new Date() });
    expect(await archive.show(copy.localId)).toMatchObject({
      state: 'acknowledged',
      meshMessageId: 'MESH-LATE',
    });
  });

  it('keeps a message rejected or undeliverable when a positive ack follows', async () => {
    const rejected = sendingCopy();
    const undeliverable = sendingCopy();
    for (const copy of [rejected, undeliverable]) await archive.recordSending(copy);
    await archive.recordAnswer(answer(rejected.localId, { code: '30001', messageState: 'rejected' }));
    await archive.recordAnswer(
      answer(undeliverable.localId, { kind: 'mesh-report', code: '14', messageState: 'undeliverable' }),
    );
    for (const copy of [rejected, undeliverable])
      await archive.recordAnswer(answer(copy.localId, { messageState: 'acknowledged' }));
    expect((await archive.show(rejected.localId))?.state).toBe('rejected');
    expect((await archive.show(undeliverable.localId))?.state).toBe('undeliverable');
  });
});
