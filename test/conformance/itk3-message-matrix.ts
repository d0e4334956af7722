/**
 * The messages the ITK3 conformance suite validates: every shape of Send Document message the service produces
 * (first report, replacement, confidential consultation and items, awkward names, several attachments) and the
 * acknowledgements the receiving-practice simulator produces. Report PDFs come from the real renderer.
 */
import { buildSendDocumentMessage } from '../../integrations/itk3/send-document-message';
import { buildItk3Response } from '../../integrations/itk3/response-builder';
import type { Resource } from '../../integrations/itk3/fhir-stu3-types';
import { UNREADABLE_ORIGINAL_IDENTIFIER } from '../../integrations/itk3/fhir-uris';
import type { MessageFormat } from '../../integrations/itk3/message-format';
import { renderConsultationReport } from '../../integrations/report/render-report';
import type { ResolvedSnapshot, ConsultationSnapshotInput } from '../../domain/snapshot';
import { FIRST_BUILT_AT, PREVIOUS_DOCUMENT, SENDER_MAILBOX, snapshotFixture } from '../unit/itk3/fixtures';

export interface MatrixMessage {
  /** File name stem; says what the case covers. */
  name: string;
  format: MessageFormat;
  build: () => Promise<Resource>;
}

const RECEIVING_PRACTICE = { odsCode: 'Y90002', name: 'Hill Surgery' };
const RESPONDER = { odsCode: RECEIVING_PRACTICE.odsCode, mailboxId: 'Y90002MB01' };

async function sendDocument(snapshot: ResolvedSnapshot, version = 1): Promise<Resource> {
  const reportPdf = await renderConsultationReport({
    snapshot,
    version,
    receivingPractice: RECEIVING_PRACTICE,
  });
  return buildSendDocumentMessage({
    snapshot,
    reportPdf,
    senderMailboxId: SENDER_MAILBOX,
    version,
    previousDocumentIdentifier: version > 1 ? PREVIOUS_DOCUMENT : undefined,
    firstBuiltAt: FIRST_BUILT_AT,
  });
}

const edited = (edit: (input: ConsultationSnapshotInput) => void) => snapshotFixture(edit);

function response(
  code: string,
  options: { diagnostics?: string; unreadable?: boolean } = {},
): Promise<Resource> {
  const snapshot = snapshotFixture();
  return Promise.resolve(
    buildItk3Response({
      original: {
        messageHeaderId: options.unreadable
          ? UNREADABLE_ORIGINAL_IDENTIFIER
          : '8ba9ab3d-dd25-5f29-b0f2-55e341ee6ff9',
        senderReference: snapshot.encounterId,
      },
      responder: RESPONDER,
      code,
      diagnostics: options.diagnostics,
      respondedAt: '2026-11-20T14:05:00Z',
    }),
  );
}

const png = (label: string): string =>
  Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.from(label)]).toString('base64');

export const MATRIX: MatrixMessage[] = [
  { name: 'first-report', format: 'xml', build: () => sendDocument(snapshotFixture()) },
  { name: 'first-report', format: 'json', build: () => sendDocument(snapshotFixture()) },
  { name: 'replacement-version-3', format: 'xml', build: () => sendDocument(snapshotFixture(), 3) },
  {
    name: 'confidential-consultation',
    format: 'xml',
    build: () =>
      sendDocument(
        edited((s) => {
          s.consultation.confidential = true;
          s.consultation.attachments = [
            { id: 'a1', title: 'Photo', contentType: 'image/png', data: png('photo') },
          ];
        }),
      ),
  },
  {
    name: 'confidential-items',
    format: 'xml',
    build: () =>
      sendDocument(
        edited((s) => {
          s.consultation.sections[0]!.items[0]!.confidential = true;
          s.consultation.sections[2]!.items[0]!.confidential = true;
        }),
      ),
  },
  {
    name: 'unicode-and-apostrophe-names',
    format: 'xml',
    build: () =>
      sendDocument(
        edited((s) => {
          s.patient.name = { title: 'Ms', given: ['Zoë', 'Siân'], family: "O'Brien-Ní Mhaoláin" };
          s.clinician.name = { title: 'Dr', given: ['Łukasz'], family: 'Żółkiewski' };
          s.hostingPractice.name = "St John's & Ælfric <Surgery>";
        }),
      ),
  },
  {
    name: 'long-surname',
    format: 'xml',
    build: () =>
      sendDocument(
        edited((s) => {
          s.patient.name.family = `${'Featherstonehaugh-'.repeat(5)}Cholmondeley-Smythe`.slice(0, 100);
        }),
      ),
  },
  {
    name: 'several-attachments',
    format: 'xml',
    build: () =>
      sendDocument(
        edited((s) => {
          s.consultation.attachments = [
            { id: 'a1', title: 'Wound photo', contentType: 'image/png', data: png('wound') },
            {
              id: 'a2',
              title: 'Referral letter',
              contentType: 'application/pdf',
              data: Buffer.from('%PDF-1.4\n%%EOF\n').toString('base64'),
            },
            {
              id: 'a3',
              title: 'Peak flow chart',
              contentType: 'text/plain',
              data: Buffer.from('420 L/min').toString('base64'),
            },
          ];
        }),
        2,
      ),
  },
  { name: 'ack-infrastructure-20013', format: 'xml', build: () => response('20013') },
  { name: 'ack-business-30001', format: 'xml', build: () => response('30001') },
  { name: 'ack-business-30004', format: 'json', build: () => response('30004') },
  {
    name: 'nack-business-30002',
    format: 'xml',
    build: () => response('30002', { diagnostics: 'No patient record matches the demographics' }),
  },
  {
    name: 'nack-infrastructure-20009',
    format: 'xml',
    build: () => response('20009', { diagnostics: 'Composition.section missing' }),
  },
  { name: 'nack-unreadable-10009', format: 'xml', build: () => response('10009', { unreadable: true }) },
];
