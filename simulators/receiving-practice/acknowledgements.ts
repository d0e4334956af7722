/**
 * Sending one ITK3 acknowledgement over MESH, as a GP system does: built by integrations/itk3/acknowledgement.ts
 * (addressing, `_ACK` workflow, format), sent with the mailbox's MESH client.
 */
import {
  buildAcknowledgement,
  type AcknowledgementAddress,
  type AcknowledgementResponder,
} from '../../integrations/itk3/acknowledgement';
import type { MeshClient } from '../../integrations/mesh/client';
import type { PlannedAnswer } from './response-policy';

export interface Responder extends AcknowledgementResponder {
  client: MeshClient;
}

/** Builds and sends one acknowledgement; resolves with its MessageHeader id (also its MESH local id and file name). */
export async function sendAcknowledgement(
  responder: Responder,
  address: AcknowledgementAddress,
  answer: PlannedAnswer,
): Promise<string> {
  const message = buildAcknowledgement(responder, address, answer, new Date().toISOString());
  await responder.client.send(message);
  return message.localId;
}
