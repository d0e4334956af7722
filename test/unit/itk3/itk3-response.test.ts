import fs from 'node:fs';
import path from 'node:path';
import { Itk3ParseError } from '../../../integrations/itk3/errors';
import type { Bundle, MessageHeader, OperationOutcome } from '../../../integrations/itk3/fhir-stu3-types';
import { UNREADABLE_ORIGINAL_IDENTIFIER } from '../../../integrations/itk3/fhir-uris';
import { serialiseFhir } from '../../../integrations/itk3/message-format';
import { buildItk3Response, type Itk3ResponseInput } from '../../../integrations/itk3/response-builder';
import { ITK3_RESPONSE_CODES } from '../../../integrations/itk3/response-codes';
import { parseItk3Response } from '../../../integrations/itk3/response-parser';
import { readSendDocumentHeader } from '../../../integrations/itk3/send-document-reader';
import { ValidationError } from '../../../domain/validation-error';
import { SHARED_DIR } from '../../../tooling/paths';
import { FIRST_BUILT_AT, SENDER_MAILBOX, fixtureMessage } from './fixtures';

const ORIGINAL = {
  messageHeaderId: '8ba9ab3d-dd25-5f29-b0f2-55e341ee6ff9',
  senderReference: '4f1c2e9a-7b3d-4c5e-9a1f-2b6d8e0c3a71',
};
const RESPONDER = { odsCode: 'Y90002', mailboxId: 'Y90002MB01' };
const respondedAt = '2026-11-20T14:00:00Z';

const response = (input: Partial<Itk3ResponseInput> = {}) =>
  buildItk3Response({ original: ORIGINAL, responder: RESPONDER, code: '20013', respondedAt, ...input });

function parseError(body: string | Uint8Array): Itk3ParseError {
  try {
    parseItk3Response(body);
  } catch (error) {
    if (error instanceof Itk3ParseError) return error;
    throw error;
  }
  throw new Error('expected an Itk3ParseError');
}

/** Applies `change` to a copy of a built response and serialises it, to make one specific fault. */
function altered(
  change: (bundle: Bundle, header: MessageHeader, outcome: OperationOutcome) => void,
  format: 'xml' | 'json' = 'json',
): string {
  const bundle = structuredClone(response()) as Bundle;
  change(bundle, bundle.entry![0]!.resource as MessageHeader, bundle.entry![2]!.resource as OperationOutcome);
  return serialiseFhir(bundle, format);
}

/** JSON a serialiser would never write (FHIR forbids empty arrays), as another system might. */
function emptyIssueList(): string {
  const bundle = JSON.parse(serialiseFhir(response(), 'json')) as Bundle;
  (bundle.entry![2]!.resource as OperationOutcome).issue = [];
  return JSON.stringify(bundle);
}

describe('ITK3 response builder', () => {
  it('builds an ITK008M response that quotes the original MessageHeader id and echoes its SenderReference', () => {
    const bundle = response();
    const header = bundle.entry![0]!.resource as MessageHeader;
    const outcome = bundle.entry![2]!.resource as OperationOutcome;
    expect(header.event?.code).toBe('ITK008M');
    expect(header.response).toMatchObject({
      identifier: ORIGINAL.messageHeaderId,
      code: 'ok',
      details: { reference: bundle.entry![2]!.fullUrl },
    });
    expect(header.focus).toEqual([{ reference: bundle.entry![2]!.fullUrl }]);
    expect(header.source?.endpoint).toBe(RESPONDER.mailboxId);
    const handling = Object.fromEntries(
      header.extension![0]!.extension!.map((e) => [
        e.url,
        e.valueBoolean ?? e.valueString ?? e.valueCoding?.code ?? e.valueReference?.reference,
      ]),
    );
    expect(handling).toEqual({
      BusAckRequested: false,
      InfAckRequested: false,
      RecipientType: 'FI',
      MessageDefinition: 'https://fhir.nhs.uk/STU3/MessageDefinition/ITK-Response-MessageDefinition-1',
      SenderReference: ORIGINAL.senderReference,
      LocalExtension: 'None',
    });
    expect(outcome.issue).toEqual([
      {
        severity: 'information',
        code: 'informational',
        details: {
          coding: [
            {
              system: 'https://fhir.nhs.uk/STU3/CodeSystem/ITK-ResponseCodes-1',
              code: '20013',
              display: 'Success',
            },
          ],
        },
      },
    ]);
  });

  it('builds negative responses as fatal errors with the mapped issue type', () => {
    const outcome = response({ code: '20008', diagnostics: 'document already received' }).entry![2]!
      .resource as OperationOutcome;
    expect(outcome.issue?.[0]).toMatchObject({
      severity: 'fatal',
      code: 'duplicate',
      diagnostics: 'document already received',
    });
    expect((response({ code: '20008' }).entry![0]!.resource as MessageHeader).response?.code).toBe(
      'fatal-error',
    );
  });

  it('refuses malformed codes and unknown codes without a display', () => {
    expect(() => response({ code: '2001' })).toThrow(ValidationError);
    expect(() => response({ code: '29999' })).toThrow(/display: is required/);
  });
});

describe('ITK3 response parser', () => {
  it.each(Object.entries(ITK3_RESPONSE_CODES))('reads back code %s in XML and JSON', (code, info) => {
    for (const format of ['xml', 'json'] as const) {
      const parsed = parseItk3Response(serialiseFhir(response({ code, diagnostics: 'context' }), format));
      expect(parsed).toEqual({
        messageHeaderId: response({ code }).entry![0]!.resource!.id,
        originalMessageHeaderId: ORIGINAL.messageHeaderId,
        senderReference: ORIGINAL.senderReference,
        respondedAt: '2026-11-20T14:00:00.000Z',
        responderOdsCode: RESPONDER.odsCode,
        kind: code.startsWith('3') ? 'business' : 'infrastructure',
        code,
        display: info.display,
        positive: ['20013', '30001', '30004'].includes(code),
        recognised: true,
        diagnostics: 'context',
      });
    }
  });

  it('reads an acknowledgement of a built message end to end, from bytes with a byte order mark', async () => {
    const original = readSendDocumentHeader(serialiseFhir(await fixtureMessage(), 'xml'));
    expect(original.senderMailboxId).toBe(SENDER_MAILBOX);
    const ack = buildItk3Response({
      original,
      responder: RESPONDER,
      code: '30001',
      respondedAt: FIRST_BUILT_AT,
    });
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(serialiseFhir(ack, 'xml'))]);
    expect(parseItk3Response(bytes)).toMatchObject({
      originalMessageHeaderId: original.messageHeaderId,
      kind: 'business',
      code: '30001',
      positive: true,
    });
  });

  it('reads a response with white space before the XML declaration', () => {
    expect(parseItk3Response(`\r\n  ${serialiseFhir(response(), 'xml')}`)).toMatchObject({ code: '20013' });
  });

  it('reads a response with the FHIR namespace declared under a prefix', () => {
    const xml = serialiseFhir(response(), 'xml')
      .replace('<Bundle xmlns="http://hl7.org/fhir">', '<fhir:Bundle xmlns:fhir="http://hl7.org/fhir">')
      .replace(/<(\/?)(?!fhir:|\?|div|p\b)([A-Za-z]+)/g, '<$1fhir:$2');
    expect(xml).toContain('<fhir:MessageHeader>');
    expect(parseItk3Response(xml)).toMatchObject({ code: '20013', positive: true });
  });

  it('reads a code it does not know as a recognised-false, never positive response of the right kind', () => {
    const parsed = parseItk3Response(
      serialiseFhir(response({ code: '29999', display: 'Something new' }), 'xml'),
    );
    expect(parsed).toMatchObject({
      code: '29999',
      kind: 'infrastructure',
      display: 'Something new',
      positive: false,
      recognised: false,
    });
  });

  it('treats a response as negative when any issue is, whatever response.code says', () => {
    const body = altered((_b, _h, outcome) => {
      outcome.issue.push({
        severity: 'fatal',
        code: 'processing',
        details: {
          coding: [
            {
              system: 'https://fhir.nhs.uk/STU3/CodeSystem/ITK-ResponseCodes-1',
              code: '20009',
              display: 'Payload validation failure',
            },
          ],
        },
      });
    });
    expect(parseItk3Response(body)).toMatchObject({ code: '20009', positive: false });
    expect(parseItk3Response(altered((_b, header) => (header.response!.code = 'fatal-error')))).toMatchObject(
      { code: '20013', positive: false },
    );
  });

  it('passes an unreadable-original marker through for the caller to correlate by SenderReference', () => {
    const parsed = parseItk3Response(
      serialiseFhir(
        buildItk3Response({
          original: { ...ORIGINAL, messageHeaderId: UNREADABLE_ORIGINAL_IDENTIFIER },
          responder: RESPONDER,
          code: '10009',
          respondedAt,
        }),
        'xml',
      ),
    );
    expect(parsed).toMatchObject({
      originalMessageHeaderId: UNREADABLE_ORIGINAL_IDENTIFIER,
      senderReference: ORIGINAL.senderReference,
      positive: false,
    });
  });

  it('finds the OperationOutcome without a details reference when it is the only one', () => {
    expect(parseItk3Response(altered((_b, header) => delete header.response!.details))).toMatchObject({
      code: '20013',
    });
  });

  it.each<[string, string | Uint8Array, string, string | undefined]>([
    ['empty input', '', 'unreadable', undefined],
    ['plain text', 'OK thanks', 'unreadable', undefined],
    ['malformed XML', '<Bundle xmlns="http://hl7.org/fhir"><type value="message">', 'unreadable', undefined],
    ['malformed JSON', '{"resourceType": "Bundle",', 'unreadable', undefined],
    ['bytes that are not UTF-8', Buffer.from([0x3c, 0xff, 0xfe, 0x3e]), 'unreadable', undefined],
    ['JSON without a resourceType', '{"hello": 1}', 'not-fhir', 'resourceType'],
    [
      'XML nested thousands deep',
      `<Bundle xmlns="http://hl7.org/fhir">${'<entry>'.repeat(5000)}${'</entry>'.repeat(5000)}</Bundle>`,
      'unreadable',
      undefined,
    ],
    [
      'JSON nested thousands deep',
      `{"resourceType":"Bundle","entry":${'['.repeat(5000)}${']'.repeat(5000)}}`,
      'unreadable',
      undefined,
    ],
    [
      'a resource that is not a Bundle',
      '<Patient xmlns="http://hl7.org/fhir"/>',
      'unexpected-content',
      'Bundle.resourceType',
    ],
    ['a document Bundle', altered((b) => (b.type = 'document')), 'invalid-field', 'Bundle.type'],
    [
      'a Bundle without a MessageHeader first',
      altered((b) => b.entry!.reverse()),
      'unexpected-content',
      'Bundle.entry[0].resource.resourceType',
    ],
    [
      'a request (ITK007C)',
      altered((_b, h) => (h.event.code = 'ITK007C')),
      'unexpected-content',
      'MessageHeader.event',
    ],
    [
      'a header without response',
      altered((_b, h) => delete h.response),
      'missing-field',
      'MessageHeader.response',
    ],
    [
      'a response without identifier',
      altered((_b, h) => delete (h.response as { identifier?: string }).identifier),
      'missing-field',
      'MessageHeader.response.identifier',
    ],
    ['a header without id', altered((_b, h) => delete h.id, 'xml'), 'missing-field', 'MessageHeader.id'],
    [
      'a dangling details reference',
      altered((_b, h) => (h.response!.details = { reference: 'urn:uuid:nowhere' })),
      'missing-field',
      'MessageHeader.response.details',
    ],
    [
      'an issue without an ITK3 code',
      altered((_b, _h, o) => (o.issue[0]!.details!.coding![0]!.system = 'http://example.org')),
      'missing-field',
      'OperationOutcome.issue[0].details.coding',
    ],
    [
      'a non-numeric code',
      altered((_b, _h, o) => (o.issue[0]!.details!.coding![0]!.code = 'OK')),
      'invalid-field',
      'OperationOutcome.issue[0].details.coding.code',
    ],
    [
      'an OperationOutcome without issues',
      altered((_b, _h, o) => delete (o as { issue?: unknown }).issue),
      'missing-field',
      'OperationOutcome.issue',
    ],
    ['an empty issue list', emptyIssueList(), 'invalid-field', 'OperationOutcome.issue'],
  ])('rejects %s', (_what, body, reason, field) => {
    const error = parseError(body);
    expect(error.reason).toBe(reason);
    expect(error.field).toBe(field);
  });

  it('never echoes patient data from the input in its errors', () => {
    const body = altered((_b, h) => (h.event.code = 'GPPROVIDER_9990000018_19580314_Whitfield'));
    expect(parseError(body).message).not.toMatch(/9990000018|Whitfield/);
    expect(
      parseError('{"resourceType": "Bundle", "type": "Whitfield 9990000018", "entry": []}').message,
    ).not.toMatch(/9990000018|Whitfield/);
  });
});

const EXAMPLES = path.join(SHARED_DIR, 'fhir', 'examples');
const TKW_TEMPLATE = path.join(EXAMPLES, 'tkw-x-ITK_Infrastructure_Acknowledgement_Bundle_Success.xml');

(fs.existsSync(EXAMPLES) ? describe : describe.skip)('published examples (../shared/fhir/examples)', () => {
  it('reads the TKW-x acknowledgement template once filled in as TKW fills it', () => {
    const filled = fs
      .readFileSync(TKW_TEMPLATE, 'utf8')
      .replace(/__PRIORITY_BLOCK__/g, '')
      .replace(/__IAID_BUNDLE_UUID__|__IA_BUNDLE_UUID__/g, 'a1f0c2de-1b2c-4d3e-8f40-5a6b7c8d9e01')
      .replace(/__IA_MESSAGE_HEADER_UUID__/g, 'b2e1d3cf-2c3d-4e4f-9051-6b7c8d9e0f12')
      .replace(/__SENDER_UUID__/g, 'c3d2e4b0-3d4e-4f50-8162-7c8d9e0f1a23')
      .replace(/__IA_OPERATION_OUTCOME_UUID__/g, 'd4c3f5a1-4e5f-4061-9273-8d9e0f1a2b34')
      .replace(/__REQUEST_UUID__/g, ORIGINAL.messageHeaderId)
      .replace(/__TIMESTAMP__/g, '2026-11-20T14:00:00+00:00')
      .replace(/__RESPONSE_CODE__/g, 'ok')
      .replace(/__ISSUE_SEVERITY__/g, 'information')
      .replace(/__ISSUE_CODE__/g, 'informational');
    expect(parseItk3Response(filled)).toEqual({
      messageHeaderId: 'b2e1d3cf-2c3d-4e4f-9051-6b7c8d9e0f12',
      originalMessageHeaderId: ORIGINAL.messageHeaderId,
      respondedAt: '2026-11-20T14:00:00+00:00',
      kind: 'business',
      code: '30001',
      display: 'errortext',
      positive: true,
      recognised: true,
    });
  });

  it('rejects the raw template, whose placeholder text is not FHIR', () => {
    const error = parseError(fs.readFileSync(TKW_TEMPLATE));
    expect(error).toMatchObject({
      reason: 'not-fhir',
      field: 'Bundle.entry.resource.MessageHeader.extension',
    });
  });

  it.each(fs.existsSync(EXAMPLES) ? fs.readdirSync(EXAMPLES).filter((f) => !f.startsWith('tkw-')) : [])(
    'recognises the Send Document example %s as a request, not a response',
    (file) => {
      const body = fs.readFileSync(path.join(EXAMPLES, file));
      expect(parseError(body)).toMatchObject({ reason: 'unexpected-content', field: 'MessageHeader.event' });
      expect(readSendDocumentHeader(body).messageHeaderId).toMatch(/^[0-9a-f-]{36}$/);
    },
  );
});
