/**
 * Replacements in the document inbox: version n replacing version n−1 marks it superseded and links both ways,
 * whichever arrived first, once however often a message is held, also when both are held at once through two
 * connection pools (two workers); only documents of the same receiving practice, sender and patient are linked.
 * Identifiers that are not UUIDs link too without landing in plain columns; a version too large is dropped.
 */
import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { ArchiveDb } from '../../../integrations/store/database';
import { FieldEncryption } from '../../../integrations/store/field-encryption';
import {
  ReceivedDocumentRepository,
  type ReceivedDocumentRecord,
} from '../../../integrations/store/received-document-repository';
import { KEYRING_BEFORE_ROTATION, openTestArchive } from '../../support/archive';
import { DATABASE_BACKENDS, freshTestDatabase, type TestDatabase } from '../../support/databases';

const NHS_NUMBER = '9434765919';

interface Version {
  meshMessageId: string;
  documentId: string;
  replacesDocumentId?: string;
  version: number;
}

/** Versions 1..n of one report: each replaces the one before. */
function chain(length: number): Version[] {
  const documentIds = Array.from({ length }, () => crypto.randomUUID());
  return documentIds.map((documentId, index) => ({
    meshMessageId: `MESH-${crypto.randomUUID()}`,
    documentId,
    replacesDocumentId: documentIds[index - 1],
    version: index + 1,
  }));
}

const record = (
  version: Version,
  overrides: Partial<ReceivedDocumentRecord> = {},
): ReceivedDocumentRecord => ({
  mailbox: 'Y90002MB',
  ...version,
  messageHeaderId: crypto.randomUUID(),
  senderReference: '846ebe66-5ff8-4499-bc57-a112d3d0daa3',
  senderOds: 'Y90001',
  practiceOds: 'Y90002',
  receivedAt: new Date().toISOString(),
  nhsNumber: NHS_NUMBER,
  document: {},
  ...overrides,
});

describe.each(DATABASE_BACKENDS)('received document replacements on %s', (backend) => {
  let database: TestDatabase;
  let dbs: ArchiveDb[];
  let documents: ReceivedDocumentRepository;
  let otherWorker: ReceivedDocumentRepository;
  beforeAll(async () => {
    database = await freshTestDatabase(backend);
    dbs = [await openTestArchive(database.url), await openTestArchive(database.url)];
    [documents, otherWorker] = dbs.map(
      (db) => new ReceivedDocumentRepository(db, new FieldEncryption(KEYRING_BEFORE_ROTATION, 'k1')),
    ) as [ReceivedDocumentRepository, ReceivedDocumentRepository];
  });
  afterAll(async () => {
    await Promise.all(dbs?.map((db) => db.destroy()) ?? []);
    await database?.close();
  });

  const supersededBy = async (version: Version) =>
    (await documents.linksOf(version.meshMessageId))?.supersededByDocumentId;

  it('in order: version 2 marks version 1 superseded, and each names the other', async () => {
    const [v1, v2] = chain(2) as [Version, Version];
    await documents.hold(record(v1));
    await documents.hold(record(v2));
    expect(await documents.linksOf(v1.meshMessageId)).toEqual({
      documentId: v1.documentId,
      version: 1,
      replacesDocumentId: null,
      supersededByDocumentId: v2.documentId,
      replacesMeshMessageIds: [],
      supersededByMeshMessageIds: [v2.meshMessageId],
    });
    expect(await documents.linksOf(v2.meshMessageId)).toEqual({
      documentId: v2.documentId,
      version: 2,
      replacesDocumentId: v1.documentId,
      supersededByDocumentId: null,
      replacesMeshMessageIds: [v1.meshMessageId],
      supersededByMeshMessageIds: [],
    });
  });

  it('out of order: version 1 arriving after version 2 is stored already superseded', async () => {
    const [v1, v2] = chain(2) as [Version, Version];
    await documents.hold(record(v2));
    expect((await documents.linksOf(v2.meshMessageId))?.replacesMeshMessageIds).toEqual([]);
    await documents.hold(record(v1));
    expect(await supersededBy(v1)).toBe(v2.documentId);
    expect((await documents.linksOf(v2.meshMessageId))?.replacesMeshMessageIds).toEqual([v1.meshMessageId]);
  });

  it('the same message held twice links once and changes nothing', async () => {
    const [v1, v2] = chain(2) as [Version, Version];
    await documents.hold(record(v1));
    await documents.hold(record(v2));
    const before = await documents.linksOf(v1.meshMessageId);
    await documents.hold(record(v2));
    await documents.hold(record(v1));
    expect(await documents.linksOf(v1.meshMessageId)).toEqual(before);
    expect(before?.supersededByMeshMessageIds).toEqual([v2.meshMessageId]);
  });

  it('another receiving practice, another sender or another patient: not linked', async () => {
    const [v1, v2] = chain(2) as [Version, Version];
    await documents.hold(record(v1));
    const strangers = [{ practiceOds: 'Y90003' }, { senderOds: 'Y90004' }, { nhsNumber: '9990000018' }].map(
      (overrides) => record({ ...v2, meshMessageId: `MESH-${crypto.randomUUID()}` }, overrides),
    );
    for (const stranger of strangers) await documents.hold(stranger);
    expect(await supersededBy(v1)).toBeNull();
    for (const stranger of strangers)
      expect((await documents.linksOf(stranger.meshMessageId))?.replacesMeshMessageIds).toEqual([]);
  });

  it('a version too large for its column is not kept, and the document is held and linked all the same', async () => {
    const [v1, v2] = chain(2) as [Version, Version];
    await documents.hold(record(v1));
    await documents.hold(record({ ...v2, version: 2 ** 40 }));
    expect(await documents.linksOf(v2.meshMessageId)).toMatchObject({
      version: null,
      replacesDocumentId: v1.documentId,
    });
    expect(await supersededBy(v1)).toBe(v2.documentId);
  });

  it('identifiers that are not UUIDs link all the same and are not kept as written', async () => {
    const written = [
      `${NHS_NUMBER} report 1 ${crypto.randomUUID()}`,
      `${NHS_NUMBER} report 2 ${crypto.randomUUID()}`,
    ];
    const v1 = { meshMessageId: `MESH-${crypto.randomUUID()}`, documentId: written[0]!, version: 1 };
    const v2 = {
      meshMessageId: `MESH-${crypto.randomUUID()}`,
      documentId: written[1]!,
      replacesDocumentId: written[0],
      version: 2,
    };
    await documents.hold(record(v2));
    await documents.hold(record(v1));
    const links = await documents.linksOf(v1.meshMessageId);
    expect(links?.supersededByMeshMessageIds).toEqual([v2.meshMessageId]);
    const rows = await sql<{ row: string }>`
      select row_to_json(r)::text as row from received_messages r
      where mesh_message_id in (${v1.meshMessageId}, ${v2.meshMessageId})`.execute(dbs[0]!);
    expect(rows.rows).toHaveLength(2);
    for (const { row } of rows.rows) expect(row).not.toContain(NHS_NUMBER);
  });

  it('a chain v1→v2→v3 arriving v3, v1, v2 ends fully linked', async () => {
    const [v1, v2, v3] = chain(3) as [Version, Version, Version];
    for (const version of [v3, v1, v2]) await documents.hold(record(version));
    expect(await supersededBy(v1)).toBe(v2.documentId);
    expect(await supersededBy(v2)).toBe(v3.documentId);
    expect(await supersededBy(v3)).toBeNull();
    expect(await documents.linksOf(v2.meshMessageId)).toMatchObject({
      replacesMeshMessageIds: [v1.meshMessageId],
      supersededByMeshMessageIds: [v3.meshMessageId],
    });
  });

  it('versions held at once by two workers are linked, in either order', async () => {
    const pairs = Array.from({ length: 20 }, () => chain(2) as [Version, Version]);
    await Promise.all(
      pairs.flatMap(([v1, v2], index) => {
        const [first, second] = index % 2 === 0 ? [v1, v2] : [v2, v1];
        return [documents.hold(record(first)), otherWorker.hold(record(second))];
      }),
    );
    for (const [v1, v2] of pairs) expect(await supersededBy(v1)).toBe(v2.documentId);
  });
});
