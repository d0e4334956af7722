/**
 * The receiver's document inbox in the archive database: a held document is kept once (a duplicate hold changes
 * nothing), its NHS number comes back for the PDS lookup, its state moves to filed, and no row holds the NHS number
 * or the PDF in plaintext.
 */
import { sql } from 'kysely';
import { FieldEncryption } from '../../../integrations/store/field-encryption';
import type { ArchiveDb } from '../../../integrations/store/database';
import { ReceivedDocumentRepository } from '../../../integrations/store/received-document-repository';
import { KEYRING_BEFORE_ROTATION, openTestArchive } from '../../support/archive';
import { DATABASE_BACKENDS, freshTestDatabase, type TestDatabase } from '../../support/databases';

const NHS_NUMBER = '9434765919';
const PDF_TEXT = 'JVBERi0xLjcgUXVpbGxmZWF0aGVy';

const record = (meshMessageId: string) => ({
  mailbox: 'Y90002MB01',
  meshMessageId,
  messageHeaderId: 'ea7221b8-3cc0-4b11-bc95-585b056b5428',
  senderReference: '846ebe66-5ff8-4499-bc57-a112d3d0daa3',
  senderOds: 'Y90001',
  practiceOds: 'Y90002',
  receivedAt: '2026-11-20T14:00:00.000Z',
  nhsNumber: NHS_NUMBER,
  documentId: '0b6c1e0a-6f0e-4a43-9d43-0e1f8f3a5c21',
  document: { nhsNumber: NHS_NUMBER, attachments: [{ contentType: 'application/pdf', base64: PDF_TEXT }] },
});

describe.each(DATABASE_BACKENDS)('received documents on %s', (backend) => {
  let database: TestDatabase;
  let db: ArchiveDb;
  let documents: ReceivedDocumentRepository;
  beforeAll(async () => {
    database = await freshTestDatabase(backend);
    db = await openTestArchive(database.url);
    documents = new ReceivedDocumentRepository(db, new FieldEncryption(KEYRING_BEFORE_ROTATION, 'k1'));
  });
  afterAll(async () => {
    await db?.destroy();
    await database?.close();
  });

  it('holds once, gives the NHS number back, moves to filed, and keeps patient data sealed', async () => {
    await documents.hold(record('MESH-1'));
    await documents.hold({ ...record('MESH-1'), practiceOds: 'Y90003' });
    expect(await documents.stateOf('MESH-1')).toBe('held');
    expect(await documents.nhsNumberOf('MESH-1')).toBe(NHS_NUMBER);
    await documents.setState('MESH-1', 'filed');
    expect(await documents.stateOf('MESH-1')).toBe('filed');

    const rows = await sql<{
      row: string;
    }>`select row_to_json(r)::text as row from received_messages r`.execute(db);
    expect(rows.rows).toHaveLength(1);
    expect(rows.rows[0]!.row).toContain('"recipient_ods":"Y90002"');
    expect(rows.rows[0]!.row).not.toContain(NHS_NUMBER);
    expect(rows.rows[0]!.row).not.toContain(PDF_TEXT);
  });
});
