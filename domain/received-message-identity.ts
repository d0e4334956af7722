/**
 * The workflow id of one received message. Derived, not copied: a MessageHeader id is whatever the sender wrote, and
 * a workflow id must hold no patient data, so the id is a name-based UUID of the receiving mailbox and the
 * MessageHeader id. The same message delivered twice to the same mailbox gets the same id (duplicates land on one
 * workflow); an unreadable message, which has no MessageHeader id, is named by its MESH message id instead.
 */
import { nameBasedUuid } from './name-based-uuid';

/** Namespace of received-message ids (a random UUID fixed once; changing it would split duplicates). */
const RECEIVED_MESSAGE_NAMESPACE = '5b0c1a53-7f0e-4c52-9d2e-3a7b6f91c4d8';

export const RECEIVED_MESSAGE_ID_PREFIX = 'received-';

export function receivedMessageWorkflowId(
  mailbox: string,
  message: { messageHeaderId: string } | { meshMessageId: string },
): string {
  const name =
    'messageHeaderId' in message
      ? `header:${mailbox.toUpperCase()}:${message.messageHeaderId}`
      : `mesh:${mailbox.toUpperCase()}:${message.meshMessageId}`;
  return `${RECEIVED_MESSAGE_ID_PREFIX}${nameBasedUuid(RECEIVED_MESSAGE_NAMESPACE, name)}`;
}
