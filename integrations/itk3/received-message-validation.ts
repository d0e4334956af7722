/**
 * The receiver's full check of a Send Document message: the header checks the simulator shares
 * (incoming-assessment.ts), then size, the document payload (both versions) and its attachments. Each failure
 * earns one negative infrastructure code (domain-reference §4.5), and the message goes no further:
 *
 * | failure                                                              | code  |
 * |----------------------------------------------------------------------|-------|
 * | header faults                                                        | see incoming-assessment.ts |
 * | message larger than the receiver's limit                             | 20015 |
 * | MessageHeader.sender not a header Organization with an ODS code      | 20006 |
 * | no document Bundle, no Composition/Task, no Patient with NHS number  | 20009 |
 * | an NHS number that fails its check digit                             | 20009 |
 * | no attachment, or the first is not a PDF (GPCM-SD-111/124)           | 20009 |
 * | an attachment that is not base64                                     | 20009 |
 * | an attachment of a type the receiver does not approve                | 20004 |
 *
 * Diagnostics name elements and reasons, never values (FHIR-BA-02).
 */
import { isValidNhsNumber } from '../../domain/nhs-number';
import {
  DEFAULT_MAX_MESSAGE_BYTES,
  PDF_CONTENT_TYPE,
  isApprovedAttachmentType,
  mediaTypeOf,
} from '../../domain/received-document-rules';
import { Itk3ParseError } from './errors';
import { assessIncomingMessage, type IncomingAssessment, type Rejection } from './incoming-assessment';
import { readReceivedDocument, type ReceivedDocument } from './received-document-reader';

export interface ReceiveLimits {
  maxMessageBytes: number;
}

export type ReceivedMessageVerdict = Omit<IncomingAssessment, 'message'> &
  ({ rejection: Rejection; document?: undefined } | { rejection?: undefined; document: ReceivedDocument });

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export function validateReceivedMessage(
  body: Uint8Array,
  limits: ReceiveLimits = { maxMessageBytes: DEFAULT_MAX_MESSAGE_BYTES },
): ReceivedMessageVerdict {
  const { message, ...assessment } = assessIncomingMessage(Buffer.from(body));
  if (assessment.rejection) return { ...assessment, rejection: assessment.rejection };
  const reject = (code: string, diagnostics: string): ReceivedMessageVerdict => ({
    ...assessment,
    rejection: { code, diagnostics },
  });
  if (body.byteLength > limits.maxMessageBytes) {
    return reject('20015', `the message exceeds the receiver's limit of ${limits.maxMessageBytes} bytes`);
  }
  let document: ReceivedDocument;
  try {
    document = readReceivedDocument(message);
  } catch (error) {
    if (!(error instanceof Itk3ParseError)) throw error;
    return reject(error.field?.startsWith('MessageHeader') ? '20006' : '20009', error.message);
  }
  const problem = documentProblem(document);
  return problem
    ? reject(problem.code, problem.diagnostics)
    : { ...assessment, rejection: undefined, document };
}

function documentProblem(document: ReceivedDocument): Rejection | undefined {
  if (!isValidNhsNumber(document.nhsNumber)) {
    return { code: '20009', diagnostics: "the Patient's NHS number fails its check digit" };
  }
  const [first] = document.attachments;
  if (!first || mediaTypeOf(first.contentType) !== PDF_CONTENT_TYPE) {
    return { code: '20009', diagnostics: 'the document has no PDF as its first attachment' };
  }
  for (const [index, attachment] of document.attachments.entries()) {
    if (!BASE64.test(attachment.base64) || attachment.base64.length % 4 !== 0) {
      return { code: '20009', diagnostics: `attachment ${index + 1} is not base64` };
    }
    if (!isApprovedAttachmentType(attachment.contentType)) {
      return {
        code: '20004',
        diagnostics: `attachment ${index + 1} has a content type this receiver does not approve`,
      };
    }
  }
  return undefined;
}
