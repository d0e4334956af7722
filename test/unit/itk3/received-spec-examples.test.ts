/**
 * The receiver accepts the Send Document examples the specifications publish, in both payload versions
 * (Composition-based 1.3+/1.5 and Task-based 1.2.x), and the messages fedreport's own sender builds, in XML and JSON:
 * it reads who sent them, for which patient, which document (and which it replaces) and the PDF first.
 */
import { serialiseFhir } from '../../../integrations/itk3/message-format';
import { validateReceivedMessage } from '../../../integrations/itk3/received-message-validation';
import { PREVIOUS_DOCUMENT, SENDER_MAILBOX, fixtureMessage, snapshotFixture } from './fixtures';
import { EXAMPLE_NHS_NUMBER, SPEC_EXAMPLES, exampleBytes } from './received-fixtures';

test.each([
  [SPEC_EXAMPLES.v15, 'composition', 'GP0001', 'e1580b71-99bd-4c5b-8d54-9b420418135f'],
  [SPEC_EXAMPLES.generic, 'composition', 'FQW30', '28182303-be8d-429f-a593-4bd1b4952fc5'],
  [SPEC_EXAMPLES.v121, 'task', 'GP0001', '72d56948-3efe-4627-bf4a-a11c5120a681'],
])('accepts the specification example %s', (file, payloadVersion, senderOdsCode, documentId) => {
  const verdict = validateReceivedMessage(exampleBytes(file));
  expect(verdict.rejection).toBeUndefined();
  expect(verdict.document).toMatchObject({
    payloadVersion,
    senderOdsCode,
    documentId,
    nhsNumber: EXAMPLE_NHS_NUMBER,
  });
  expect(verdict.document?.attachments[0]?.contentType).toBe('application/pdf');
  expect(verdict.format).toBe('xml');
});

test.each(['xml', 'json'] as const)(
  "accepts fedreport's own version-2 report in %s and reads what it replaces",
  async (format) => {
    const message = await fixtureMessage({ version: 2 });
    const verdict = validateReceivedMessage(Buffer.from(serialiseFhir(message, format)));
    expect(verdict.rejection).toBeUndefined();
    expect(verdict.replyTo).toBe(SENDER_MAILBOX);
    expect(verdict.original.senderReference).toBe(snapshotFixture().encounterId);
    expect(verdict.document).toMatchObject({
      payloadVersion: 'composition',
      replacesDocumentId: PREVIOUS_DOCUMENT,
      version: 2,
      nhsNumber: snapshotFixture().patient.nhsNumber,
      senderOdsCode: snapshotFixture().hostingPractice.odsCode,
    });
    const pdf = Buffer.from(verdict.document!.attachments[0]!.base64, 'base64');
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  },
);
