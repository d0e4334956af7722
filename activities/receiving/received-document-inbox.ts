/**
 * The activities' document inbox (ReceivedDocumentInbox) on the archive database: held documents (with their
 * mailbox), their NHS number for the PDS lookup and the filing outcome as the row's state, a refusal with its code
 * and sealed reason. MESH message ids are unique across mailboxes, so they alone key the row.
 */
import type { ReceivedDocumentRepository } from '../../integrations/store/received-document-repository';
import type { ReceivedDocumentInbox } from './received-message-activities';

export function archiveDocumentInbox(documents: ReceivedDocumentRepository): ReceivedDocumentInbox {
  return {
    hold: (held) =>
      documents.hold({
        mailbox: held.mailbox,
        meshMessageId: held.meshMessageId,
        messageHeaderId: held.messageHeaderId,
        senderReference: held.senderReference,
        senderOds: held.document.senderOdsCode,
        practiceOds: held.practiceOds,
        receivedAt: held.receivedAt,
        nhsNumber: held.document.nhsNumber,
        documentId: held.document.documentId,
        replacesDocumentId: held.document.replacesDocumentId,
        version: held.document.version,
        document: held.document,
      }),
    nhsNumberOf: ({ meshMessageId }) => documents.nhsNumberOf(meshMessageId),
    recordFiling: ({ meshMessageId }, filing) =>
      filing.outcome === 'filed'
        ? documents.setState(meshMessageId, 'filed')
        : documents.refuse(meshMessageId, { code: filing.code, reason: filing.reason }),
  };
}
