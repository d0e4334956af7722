/**
 * The clinical system's reads of the document inbox, on PostgreSQL and PGlite: a practice's new (held) documents
 * oldest first, a page at a time and never another practice's; one document's metadata with the NHS number opened and
 * the version and replaced document read from the sealed document; the PDF as received; a refusal's reason kept
 * sealed (not in any plain column) and given back with its code.
 */
import { sql } from 'kysely';
import type { ArchiveDb } from '../../../integrations/store/database';
import { FieldEncryption } from '../../../integrations/store/field-encryption';
import { ReceivedDocumentQueries } from '../../../integrations/store/received-document-queries';
import { ReceivedDocumentRepository } from '../../../integrations/store/received-document-repository';
import { KEYRING_BEFORE_ROTATION, openTestArchive } from '../../support/archive';
import { DATABASE_BACKENDS, freshTestDatabase, type TestDatabase } from '../../support/databases';

const NHS_NUMBER = '9434765919';
const PDF = Buffer.from('%PDF-1.7 Quillfeather report');
const REASON = 'Zephyrine moved to Quillfeather Surgery';

const record = (meshMessageId: string, practiceOds: string, receivedAt: string) => ({
  mailbox: `${practiceOds}MB01`,
  meshMessageId,
  messageHeaderId: `ea7221b8-3cc0-4b11-bc95-585b056b54${meshMessageId.slice(-2)}`,
  senderReference: '846ebe66-5ff8-4499-bc57-a112d3d0daa3',
  senderOds: 'Y90001',
  practiceOds,
  receivedAt,
  nhsNumber: NHS_NUMBER,
  documentId: `doc-${meshMessageId}`,
  version: 2,
  replacesDocumentId: 'doc-previous',
  document: {
    payloadVersion: 'composition',
    documentId: `doc-${meshMessageId}`,
    version: 2,
    replacesDocumentId: 'doc-previous',
    senderOdsCode: 'Y90001',
    nhsNumber: NHS_NUMBER,
    attachments: [
      { contentType: 'application/pdf', base64: PDF.toString('base64') },
      { contentType: 'image/png', base64: 'iVBORw0K' },
    ],
  },
});

describe.each(DATABASE_BACKENDS)('document inbox reads on %s', (backend) => {
  let database: TestDatabase;
  let db: ArchiveDb;
  let documents: ReceivedDocumentRepository;
  let queries: ReceivedDocumentQueries;
  beforeAll(async () => {
    database = await freshTestDatabase(backend);
    db = await openTestArchive(database.url);
    const encryption = new FieldEncryption(KEYRING_BEFORE_ROTATION, 'k1');
    documents = new ReceivedDocumentRepository(db, encryption);
    queries = new ReceivedDocumentQueries(db, encryption);
    await documents.hold(record('MESH-03', 'Y90002', '2026-11-20T14:03:00Z'));
    await documents.hold(record('MESH-01', 'Y90002', '2026-11-20T14:01:00Z'));
    await documents.hold(record('MESH-02', 'Y90002', '2026-11-20T14:01:00Z'));
    await documents.hold(record('MESH-04', 'Y90003', '2026-11-20T14:00:00Z'));
    await documents.setState('MESH-02', 'filed');
  });
  afterAll(async () => {
    await db?.destroy();
    await database?.close();
  });

  it("lists a practice's new documents oldest first, a page at a time", async () => {
    const ids = (list: { meshMessageId: string }[]) => list.map((d) => d.meshMessageId);
    const all = await queries.list({ practices: ['Y90002'], limit: 10 });
    expect(ids(all)).toEqual(['MESH-01', 'MESH-02', 'MESH-03']);
    const first = await queries.list({ practices: ['Y90002'], state: 'held', limit: 1 });
    expect(ids(first)).toEqual(['MESH-01']);
    expect(first[0]).toEqual({
      meshMessageId: 'MESH-01',
      mailbox: 'Y90002MB01',
      messageHeaderId: 'ea7221b8-3cc0-4b11-bc95-585b056b5401',
      encounterGuid: '846ebe66-5ff8-4499-bc57-a112d3d0daa3',
      senderOds: 'Y90001',
      practiceOds: 'Y90002',
      receivedAt: new Date('2026-11-20T14:01:00Z'),
      state: 'held',
      superseded: false,
    });
    const next = await queries.list({ practices: ['Y90002'], state: 'held', limit: 1, after: first[0] });
    expect(ids(next)).toEqual(['MESH-03']);
    expect(await queries.list({ practices: ['Y90002'], state: 'held', limit: 1, after: next[0] })).toEqual(
      [],
    );
    expect(ids(await queries.list({ practices: '*', state: 'held', limit: 10 }))).toEqual([
      'MESH-04',
      'MESH-01',
      'MESH-03',
    ]);
  });

  it('gives the metadata with the NHS number, version and replaced document, and the PDF as received', async () => {
    expect(await queries.metadata('MESH-01')).toMatchObject({
      meshMessageId: 'MESH-01',
      nhsNumber: NHS_NUMBER,
      documentId: 'doc-MESH-01',
      payloadVersion: 'composition',
      version: 2,
      replacesDocumentId: 'doc-previous',
      attachments: [
        { contentType: 'application/pdf', bytes: PDF.byteLength },
        { contentType: 'image/png', bytes: 6 },
      ],
      state: 'held',
    });
    expect(await queries.pdf('MESH-01')).toEqual(PDF);
    expect(await queries.metadata('MESH-99')).toBeUndefined();
    expect(await queries.pdf('MESH-99')).toBeUndefined();
  });

  it('marks a document superseded once its next version arrives, and links the two by MESH id', async () => {
    await documents.hold({
      ...record('MESH-05', 'Y90002', '2026-11-20T15:00:00Z'),
      documentId: 'doc-MESH-05',
      version: 3,
      replacesDocumentId: 'doc-MESH-01',
    });
    const [older] = await queries.list({ practices: ['Y90002'], limit: 1 });
    expect(older).toMatchObject({ meshMessageId: 'MESH-01', superseded: true });
    expect(await queries.metadata('MESH-01')).toMatchObject({
      replacesMessages: [],
      supersededByMessages: ['MESH-05'],
    });
    expect(await queries.metadata('MESH-05')).toMatchObject({
      superseded: false,
      replacesMessages: ['MESH-01'],
      supersededByMessages: [],
    });
  });

  it('keeps a refusal with its code, the reason sealed', async () => {
    await documents.refuse('MESH-03', { code: '30003', reason: REASON });
    expect(await queries.metadata('MESH-03')).toMatchObject({
      state: 'refused',
      refusal: { code: '30003', reason: REASON },
    });
    const rows = await sql<{
      row: string;
    }>`select row_to_json(r)::text as row from received_messages r`.execute(db);
    expect(rows.rows.map((r) => r.row).join()).not.toContain('Quillfeather');
  });
});
