/**
 * How the inbox hands a downloaded Send Document message to the receiver (docs/receiving.md, handover): the body is
 * kept, sealed, in the archive database (any worker's activities find it there, and it outlives the spool file),
 * then `receivedMessageWorkflow` is started under the message's id with the copy signalled, and only then may the
 * inbox acknowledge it in MESH. A failure anywhere leaves the message in MESH for the next poll; doing it again is
 * harmless (the row is kept once, the workflow takes each MESH message once).
 */
import type { Client } from '@temporalio/client';
import { receivedMessageWorkflowId } from '../../domain/received-message-identity';
import { readOriginalMessageHeaderId } from '../../integrations/itk3/incoming-assessment';
import type { MeshMessageHeaders } from '../../integrations/mesh/download';
import type {
  ReceivedDelivery,
  ReceivedDeliveryRepository,
} from '../../integrations/store/received-delivery-repository';
import type { ReceivedMessageInput } from '../../workflows/received-message-activities';
import {
  messageDeliveredSignal,
  RECEIVED_MESSAGE_WORKFLOW_TYPE,
} from '../../workflows/received-message-workflow';

export interface DocumentHandover {
  /** The copy kept at an earlier poll (its MESH acknowledgement failed), if any: not downloaded again. */
  keptEarlier(meshMessageId: string): Promise<ReceivedDelivery | undefined>;
  /** Names the copy by its MessageHeader id (read cheaply) and keeps its body durably. */
  keep(headers: MeshMessageHeaders, mailbox: string, body: Buffer, at: Date): Promise<ReceivedDelivery>;
  /** Starts the received message's workflow, or hands this copy to the one running (a duplicate). */
  start(delivery: ReceivedDelivery, headers: MeshMessageHeaders, taskQueue: string): Promise<void>;
}

export function createDocumentHandover(deps: {
  deliveries: ReceivedDeliveryRepository;
  temporal: Client;
}): DocumentHandover {
  return {
    keptEarlier: (meshMessageId) => deps.deliveries.find(meshMessageId),

    async keep(headers, mailbox, body, at) {
      const messageHeaderId = readOriginalMessageHeaderId(body);
      const meshMessageId = headers.messageId;
      const delivery: ReceivedDelivery = {
        meshMessageId,
        mailbox,
        receivedMessageId: receivedMessageWorkflowId(
          mailbox,
          messageHeaderId ? { messageHeaderId } : { meshMessageId },
        ),
        receivedAt: at,
      };
      await deps.deliveries.keep(delivery, body);
      return delivery;
    },

    async start(delivery, headers, taskQueue) {
      const input: ReceivedMessageInput = {
        mailbox: delivery.mailbox,
        meshMessageId: delivery.meshMessageId,
        meshWorkflowId: headers.workflowId ?? '',
        meshSender: headers.from ?? '',
        receivedAt: delivery.receivedAt.toISOString(),
      };
      // Signal-with-start: the first copy starts the workflow, a copy arriving while it runs joins it, and one
      // arriving after it closed starts a new run that finds the message claimed (docs/receiving.md, duplicates).
      await deps.temporal.workflow.signalWithStart(RECEIVED_MESSAGE_WORKFLOW_TYPE, {
        workflowId: delivery.receivedMessageId,
        taskQueue,
        args: [input],
        signal: messageDeliveredSignal,
        signalArgs: [input],
      });
    },
  };
}
