/**
 * The acknowledgements fedreport's receiver sends for a received message: infrastructure (20013 or the negative code
 * validation found) and business (30001–30004), each correlated with the original (response.identifier = its
 * MessageHeader.id, SenderReference echoed), addressed to the sender's source.endpoint on the `_ACK` workflow and
 * written in the original's format, so any ITK3 sender (fedreport's own parser here) reads them.
 */
import { ackWorkflowIdFor, buildAcknowledgement } from '../../../integrations/itk3/acknowledgement';
import { serialiseFhir } from '../../../integrations/itk3/message-format';
import { validateReceivedMessage } from '../../../integrations/itk3/received-message-validation';
import { parseItk3Response } from '../../../integrations/itk3/response-parser';
import { fixtureMessage } from './fixtures';
import { SPEC_EXAMPLES, editedExample, exampleBytes } from './received-fixtures';

const RESPONDER = { odsCode: 'Y90002', mailboxId: 'Y90002MB01' };
const RESPONDED_AT = '2026-11-20T14:00:00.000Z';

function acknowledge(body: Buffer, code: string, diagnostics?: string) {
  const verdict = validateReceivedMessage(body);
  const address = {
    original: verdict.original,
    to: verdict.replyTo ?? 'MESH-SENDER',
    workflowId: ackWorkflowIdFor('GPFED_CONSULT_REPORT'),
    format: verdict.format,
  };
  return buildAcknowledgement(RESPONDER, address, { code, diagnostics }, RESPONDED_AT);
}

test.each([
  ['20013', 'infrastructure', true],
  ['30001', 'business', true],
  ['30002', 'business', false],
  ['30003', 'business', false],
  ['30004', 'business', true],
] as const)('answers the 1.5.0 example with %s, correlated and addressed', (code, kind, positive) => {
  const ack = acknowledge(exampleBytes(SPEC_EXAMPLES.v15), code);
  expect(ack).toMatchObject({
    to: 'MESHGP0001',
    workflowId: 'GPFED_CONSULT_REPORT_ACK',
    contentType: 'application/fhir+xml',
  });
  const response = parseItk3Response(ack.body);
  expect(response).toMatchObject({
    originalMessageHeaderId: 'ea7221b8-3cc0-4b11-bc95-585b056b5428',
    senderReference: '846ebe66-5ff8-4499-bc57-a112d3d0daa3',
    responderOdsCode: 'Y90002',
    messageHeaderId: ack.localId,
    code,
    kind,
    positive,
  });
  expect(ack.filename).toBe(`${ack.localId}.xml`);
});

test('a rejected message is answered with its negative code and the validation diagnostics', () => {
  const body = editedExample(SPEC_EXAMPLES.v15, (m) => (m.entry[0].resource.event.code = 'ITK008M'));
  const verdict = validateReceivedMessage(body);
  const ack = acknowledge(body, verdict.rejection!.code, verdict.rejection!.diagnostics);
  expect(ack.contentType).toBe('application/fhir+json');
  expect(parseItk3Response(ack.body)).toMatchObject({
    code: '20006',
    kind: 'infrastructure',
    positive: false,
    originalMessageHeaderId: 'ea7221b8-3cc0-4b11-bc95-585b056b5428',
    diagnostics: verdict.rejection!.diagnostics,
  });
});

test("a JSON report from fedreport's own sender is answered in JSON", async () => {
  const ack = acknowledge(Buffer.from(serialiseFhir(await fixtureMessage(), 'json')), '20013');
  expect(ack.contentType).toBe('application/fhir+json');
  expect(ack.body.trimStart().startsWith('{')).toBe(true);
  expect(parseItk3Response(ack.body).code).toBe('20013');
});

test('the same answer at the same time has the same id (a repeated send is the same MESH message)', () => {
  const body = exampleBytes(SPEC_EXAMPLES.v15);
  expect(acknowledge(body, '30001').localId).toBe(acknowledge(body, '30001').localId);
  expect(acknowledge(body, '30001').localId).not.toBe(acknowledge(body, '20013').localId);
});
