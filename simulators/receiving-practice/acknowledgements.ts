/**
 * Sending one ITK3 acknowledgement over MESH, as a GP system does (domain-reference §4.4): to the mailbox the
 * original names in MessageHeader.source.endpoint, on the original's workflow + `_ACK`, in the original's format.
 */
import { responseIdentity } from '../../domain/report-identity';
import { FHIR_MEDIA_TYPE, serialiseFhir, type MessageFormat } from '../../integrations/itk3/message-format';
import { buildItk3Response } from '../../integrations/itk3/response-builder';
import type { MeshClient } from '../../integrations/mesh/client';
import type { PlannedAnswer } from './response-policy';

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

export interface Responder {
  odsCode: string;
  /** The mailbox the acknowledgement is sent from: its MessageHeader.source.endpoint. */
  mailboxId: string;
  client: MeshClient;
}

/** Builds and sends one acknowledgement; resolves with its MessageHeader id (also its MESH local id and file name). */
export async function sendAcknowledgement(
  responder: Responder,
  address: AcknowledgementAddress,
  answer: PlannedAnswer,
): Promise<string> {
  const respondedAt = new Date().toISOString();
  const response = buildItk3Response({
    original: address.original,
    responder: { odsCode: responder.odsCode, mailboxId: responder.mailboxId },
    code: answer.code,
    diagnostics: answer.diagnostics,
    respondedAt,
  });
  const { messageHeaderId } = responseIdentity(address.original.messageHeaderId, answer.code, respondedAt);
  await responder.client.send({
    to: address.to,
    workflowId: address.workflowId,
    body: serialiseFhir(response, address.format),
    localId: messageHeaderId,
    filename: `${messageHeaderId}.${address.format}`,
    contentType: FHIR_MEDIA_TYPE[address.format],
  });
  return messageHeaderId;
}
