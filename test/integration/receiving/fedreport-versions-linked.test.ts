/**
 * fedreport's own sender and receiver agree on replacements: version 2 of a report, built by the sender with the
 * identifier of version 1 in Composition.relatesTo, read by the receiver's validation and held through the activities'
 * document inbox before version 1 arrives, leaves version 1 superseded by version 2, both versions numbered.
 */
import { archiveDocumentInbox } from '../../../activities/receiving/received-document-inbox';
import { messageIdentity } from '../../../domain/report-identity';
import { serialiseFhir } from '../../../integrations/itk3/message-format';
import { validateReceivedMessage } from '../../../integrations/itk3/received-message-validation';
import { buildSendDocumentMessage } from '../../../integrations/itk3/send-document-message';
import type { ArchiveDb } from '../../../integrations/store/database';
import { FieldEncryption } from '../../../integrations/store/field-encryption';
import { ReceivedDocumentRepository } from '../../../integrations/store/received-document-repository';
import { KEYRING_BEFORE_ROTATION, openTestArchive } from '../../support/archive';
import { freshTestDatabase, type TestDatabase } from '../../support/databases';
import { SENDER_MAILBOX, snapshotFixture, tinyPdf } from '../../unit/itk3/fixtures';

const BUILT_AT = { 1: '2026-11-20T13:45:00.000Z', 2: '2026-11-20T16:45:00.000Z' } as const;

let database: TestDatabase;
let db: ArchiveDb;
let documents: ReceivedDocumentRepository;
beforeAll(async () => {
  database = await freshTestDatabase('postgresql');
  db = await openTestArchive(database.url);
  documents = new ReceivedDocumentRepository(db, new FieldEncryption(KEYRING_BEFORE_ROTATION, 'k1'));
});
afterAll(async () => {
  await db?.destroy();
  await database?.close();
});

/** Version `version` as the sender builds it, as the receiver reads it. */
async function receivedVersion(version: 1 | 2) {
  const snapshot = snapshotFixture();
  const message = buildSendDocumentMessage({
    snapshot,
    reportPdf: await tinyPdf(`Consultation report version ${version}`),
    senderMailboxId: SENDER_MAILBOX,
    version,
    previousDocumentIdentifier:
      version === 2 ? messageIdentity(snapshot.encounterId, 1, BUILT_AT[1]).documentIdentifier : undefined,
    firstBuiltAt: BUILT_AT[version],
  });
  const verdict = validateReceivedMessage(Buffer.from(serialiseFhir(message, 'xml')));
  if (!verdict.document) throw new Error(`version ${version} was rejected: ${verdict.rejection?.code}`);
  return {
    mailbox: 'Y90002MB01',
    meshMessageId: `MESH-V${version}`,
    practiceOds: 'Y90002',
    messageHeaderId: verdict.original.messageHeaderId,
    senderReference: verdict.original.senderReference,
    receivedAt: BUILT_AT[version],
    document: verdict.document,
  };
}

test("version 2 of fedreport's report, arriving first, supersedes version 1 when it arrives", async () => {
  const [v1, v2] = [await receivedVersion(1), await receivedVersion(2)];
  const inbox = archiveDocumentInbox(documents);
  await inbox.hold(v2);
  await inbox.hold(v1);
  expect(await documents.linksOf('MESH-V1')).toMatchObject({
    documentId: v1.document.documentId,
    version: 1,
    supersededByDocumentId: v2.document.documentId,
    supersededByMeshMessageIds: ['MESH-V2'],
  });
  expect(await documents.linksOf('MESH-V2')).toMatchObject({
    version: 2,
    replacesDocumentId: v1.document.documentId,
    supersededByDocumentId: null,
    replacesMeshMessageIds: ['MESH-V1'],
  });
});
