/**
 * Each fault in a received Send Document message earns its documented negative infrastructure code (domain-reference
 * §4.5), the answer still quotes what could be read of the original, no document is handed on, and the diagnostics
 * carry no patient data.
 */
import { UNREADABLE_ORIGINAL_IDENTIFIER } from '../../../integrations/itk3/fhir-uris';
import { validateReceivedMessage } from '../../../integrations/itk3/received-message-validation';
import {
  EXAMPLE_NHS_NUMBER,
  SPEC_EXAMPLES,
  editedExample,
  exampleBytes,
  payloadEntries,
} from './received-fixtures';

const binaryOf = (message: any): any =>
  payloadEntries(message).find((e) => e.resource.resourceType === 'Binary').resource;

const FAULTS: { fault: string; code: string; body: () => Buffer }[] = [
  {
    fault: 'event ITK008M instead of ITK007C',
    code: '20006',
    body: () => editedExample(SPEC_EXAMPLES.v15, (m) => (m.entry[0].resource.event.code = 'ITK008M')),
  },
  {
    fault: 'a sender that is no header Organization',
    code: '20006',
    body: () =>
      editedExample(
        SPEC_EXAMPLES.v15,
        (m) => (m.entry[0].resource.sender.reference = 'Organization/elsewhere'),
      ),
  },
  {
    fault: 'no PDF: the only attachment is a PNG',
    code: '20009',
    body: () => editedExample(SPEC_EXAMPLES.v15, (m) => (binaryOf(m).contentType = 'image/png')),
  },
  {
    fault: 'no attachment at all',
    code: '20009',
    body: () =>
      editedExample(SPEC_EXAMPLES.v15, (m) => {
        const entries = payloadEntries(m);
        entries.splice(
          entries.findIndex((e) => e.resource.resourceType === 'Binary'),
          1,
        );
      }),
  },
  {
    fault: 'a PDF that is not base64',
    code: '20009',
    body: () => editedExample(SPEC_EXAMPLES.v15, (m) => (binaryOf(m).content = 'not*base64')),
  },
  {
    fault: 'a second attachment of an unapproved type',
    code: '20004',
    body: () =>
      editedExample(SPEC_EXAMPLES.v15, (m) => {
        const composition = payloadEntries(m)[0].resource;
        payloadEntries(m).push({
          fullUrl: 'urn:uuid:0b7c6a9e-1111-4e8b-9a51-2f6a3c1d7e01',
          resource: { resourceType: 'Binary', contentType: 'application/x-msdownload', content: 'TVqQAA==' },
        });
        composition.section.push({ entry: [{ reference: 'urn:uuid:0b7c6a9e-1111-4e8b-9a51-2f6a3c1d7e01' }] });
      }),
  },
  {
    fault: 'a v1.2 Task without its DocumentReference',
    code: '20009',
    body: () =>
      editedExample(SPEC_EXAMPLES.v121, (m) => {
        const entries = payloadEntries(m);
        entries.splice(
          entries.findIndex((e) => e.resource.resourceType === 'DocumentReference'),
          1,
        );
      }),
  },
  {
    fault: 'an NHS number failing its check digit',
    code: '20009',
    body: () =>
      Buffer.from(exampleBytes(SPEC_EXAMPLES.v15).toString('utf8').replace(EXAMPLE_NHS_NUMBER, '9990000019')),
  },
];

test.each(FAULTS)('$fault earns $code, quoting the original', ({ code, body }) => {
  const verdict = validateReceivedMessage(body());
  expect(verdict.rejection?.code).toBe(code);
  expect(verdict.document).toBeUndefined();
  expect(verdict.original.messageHeaderId).toBe('ea7221b8-3cc0-4b11-bc95-585b056b5428');
  expect(verdict.replyTo).toBe('MESHGP0001');
  expect(verdict.rejection?.diagnostics).not.toMatch(/999\d{7}|Smith|Richard|1957/);
});

test('a message over the receiver limit earns 20015', () => {
  const body = exampleBytes(SPEC_EXAMPLES.v15);
  const verdict = validateReceivedMessage(body, { maxMessageBytes: body.byteLength - 1 });
  expect(verdict.rejection).toEqual({
    code: '20015',
    diagnostics: `the message exceeds the receiver's limit of ${body.byteLength - 1} bytes`,
  });
});

test('unreadable XML earns 10009 and quotes UNREADABLE-IN-ORIGINAL-MESSAGE', () => {
  const verdict = validateReceivedMessage(exampleBytes(SPEC_EXAMPLES.v15).subarray(0, 2_000));
  expect(verdict.rejection?.code).toBe('10009');
  expect(verdict.original.messageHeaderId).toBe(UNREADABLE_ORIGINAL_IDENTIFIER);
  expect(verdict.replyTo).toBeUndefined();
});
