import { Itk3ParseError } from '../../../integrations/itk3/errors';
import type { MessageHeader } from '../../../integrations/itk3/fhir-stu3-types';
import { serialiseFhir } from '../../../integrations/itk3/message-format';
import { buildItk3Response } from '../../../integrations/itk3/response-builder';
import { readSendDocumentHeader } from '../../../integrations/itk3/send-document-reader';
import { FIRST_BUILT_AT, SENDER_MAILBOX, fixtureMessage, snapshotFixture } from './fixtures';

describe('Send Document header reader', () => {
  it.each(['xml', 'json'] as const)(
    'reads what an acknowledgement needs from a %s message',
    async (format) => {
      const message = await fixtureMessage();
      expect(readSendDocumentHeader(serialiseFhir(message, format))).toEqual({
        messageHeaderId: message.entry![0]!.resource!.id,
        senderReference: snapshotFixture().encounterId,
        senderMailboxId: SENDER_MAILBOX,
        infAckRequested: true,
        busAckRequested: true,
      });
    },
  );

  it('refuses a response, and a message without SenderReference', async () => {
    const ack = buildItk3Response({
      original: { messageHeaderId: 'x', senderReference: 'y' },
      responder: { odsCode: 'Y90002', mailboxId: 'Y90002MB01' },
      code: '20013',
      respondedAt: FIRST_BUILT_AT,
    });
    expect(() => readSendDocumentHeader(serialiseFhir(ack, 'xml'))).toThrow(Itk3ParseError);
    const message = await fixtureMessage();
    const header = message.entry![0]!.resource as MessageHeader;
    header.extension![0]!.extension = header.extension![0]!.extension!.filter(
      (e) => e.url !== 'SenderReference',
    );
    expect(() => readSendDocumentHeader(serialiseFhir(message, 'json'))).toThrow(/SenderReference/);
  });
});
