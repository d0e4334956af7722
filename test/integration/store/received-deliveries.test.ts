/**
 * The receiver's handover rows in the archive database, on both back ends: a copy is kept once and its body opens;
 * the first copy to claim a received message holds the claim, so any other copy sees it is a duplicate; deciding a
 * copy records the deciding run and drops the body, and a second decision changes nothing; no row holds the body in
 * plaintext.
 */
import { sql } from 'kysely';
import type { ArchiveDb } from '../../../integrations/store/database';
import { FieldEncryption } from '../../../integrations/store/field-encryption';
import { ReceivedDeliveryRepository } from '../../../integrations/store/received-delivery-repository';
import { KEYRING_BEFORE_ROTATION, openTestArchive } from '../../support/archive';
import { DATABASE_BACKENDS, freshTestDatabase, type TestDatabase } from '../../support/databases';

const BODY = Buffer.from('{"resourceType":"Bundle","nhsNumber":"9434765919"}');
const copy = (meshMessageId: string) => ({
  meshMessageId,
  mailbox: 'X26ABC2',
  receivedMessageId: 'received-5f0e1c2a-0000-5000-8000-000000000001',
  receivedAt: new Date('2026-11-20T14:00:00Z'),
});

describe.each(DATABASE_BACKENDS)('received deliveries on %s', (backend) => {
  let database: TestDatabase;
  let db: ArchiveDb;
  let deliveries: ReceivedDeliveryRepository;
  beforeAll(async () => {
    database = await freshTestDatabase(backend);
    db = await openTestArchive(database.url);
    deliveries = new ReceivedDeliveryRepository(db, new FieldEncryption(KEYRING_BEFORE_ROTATION, 'k1'));
  });
  afterAll(async () => {
    await db?.destroy();
    await database?.close();
  });

  it('keeps a copy once, lets the first copy claim the message, and drops the body once decided', async () => {
    await deliveries.keep(copy('MESH-1'), BODY);
    await deliveries.keep({ ...copy('MESH-1'), mailbox: 'X26ABC3' }, Buffer.from('another body'));
    expect(await deliveries.find('MESH-1')).toEqual(copy('MESH-1'));
    expect(await deliveries.body('MESH-1')).toEqual(BODY);
    const { rows } = await sql<{ plain: number }>`
      select count(*)::int as plain from received_deliveries
      where position(${Buffer.from('9434765919')} in sealed_body) > 0`.execute(db);
    expect(rows).toEqual([{ plain: 0 }]);

    const at = new Date('2026-11-20T14:00:01Z');
    expect(await deliveries.claim(copy('MESH-1').receivedMessageId, 'MESH-1', at)).toBe('MESH-1');
    expect(await deliveries.claim(copy('MESH-2').receivedMessageId, 'MESH-2', at)).toBe('MESH-1');
    expect(await deliveries.claim(copy('MESH-1').receivedMessageId, 'MESH-1', at)).toBe('MESH-1');

    expect(await deliveries.decisionOf('MESH-1')).toBeUndefined();
    await deliveries.decide('MESH-1', { runId: 'run-1', decision: '{"outcome":"settled"}' });
    await deliveries.decide('MESH-1', { runId: 'run-2', decision: '{"outcome":"other"}' });
    expect(await deliveries.decisionOf('MESH-1')).toEqual({
      runId: 'run-1',
      decision: '{"outcome":"settled"}',
    });
    expect(await deliveries.body('MESH-1')).toBeUndefined();
  });
});
