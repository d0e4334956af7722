/**
 * One ITK3 acknowledgement as a receiver sends it over MESH (domain-reference §4.4): the response message (built by
 * response-builder.ts) in the original's format, addressed to the mailbox the original names in
 * MessageHeader.source.endpoint, on the original's workflow + `_ACK`, with the response's MessageHeader id as MESH
 * local id and file name. Shared by fedreport's receiver and the receiving practice simulator.
 */
import { responseIdentity } from '../../domain/report-identity';
import { FHIR_MEDIA_TYPE, serialiseFhir, type MessageFormat } from './message-format';
import { buildItk3Response } from './response-builder';

/** Used when the incoming message carried no workflow id (MESH requires one, so only a broken peer does that). */
const DEFAULT_REQUEST_WORKFLOW = 'GPFED_CONSULT_REPORT';

/** GPFED_CONSULT_REPORT → GPFED_CONSULT_REPORT_ACK, GPCONNECT_SEND_DOCUMENT → GPCONNECT_SEND_DOCUMENT_ACK. */
export function ackWorkflowIdFor(requestWorkflowId: string | undefined): string {
  return `${requestWorkflowId ?? DEFAULT_REQUEST_WORKFLOW}_ACK`;
}

export interface AcknowledgementAddress {
  /** The original's MessageHeader.id (or UNREADABLE-IN-ORIGINAL-MESSAGE) and SenderReference, quoted back. */
  original: { messageHeaderId: string; senderReference: string };
  /** The sender's mailbox. */
  to: string;
  workflowId: string;
  format: MessageFormat;
}

export interface AcknowledgementResponder {
  odsCode: string;
  /** The mailbox the acknowledgement is sent from: its MessageHeader.source.endpoint. */
  mailboxId: string;
}

export interface AcknowledgementAnswer {
  code: string;
  /** Must not carry patient data (FHIR-BA-02). */
  diagnostics?: string;
}

/** What a MESH client sends: the fields of its send call. */
export interface AcknowledgementMessage {
  to: string;
  workflowId: string;
  body: string;
  /** The response's MessageHeader id: deterministic from the original, the code and the time. */
  localId: string;
  filename: string;
  contentType: string;
}

export function buildAcknowledgement(
  responder: AcknowledgementResponder,
  address: AcknowledgementAddress,
  answer: AcknowledgementAnswer,
  respondedAt: string,
): AcknowledgementMessage {
  const response = buildItk3Response({
    original: address.original,
    responder,
    code: answer.code,
    diagnostics: answer.diagnostics,
    respondedAt,
  });
  const { messageHeaderId } = responseIdentity(address.original.messageHeaderId, answer.code, respondedAt);
  return {
    to: address.to,
    workflowId: address.workflowId,
    body: serialiseFhir(response, address.format),
    localId: messageHeaderId,
    filename: `${messageHeaderId}.${address.format}`,
    contentType: FHIR_MEDIA_TYPE[address.format],
  };
}
