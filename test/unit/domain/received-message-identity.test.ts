/**
 * A received message's workflow id: the same message in the same mailbox always gets the same id (a duplicate
 * delivery lands on the same workflow), other mailboxes or messages get others, and the id never contains the
 * sender-chosen MessageHeader id (which could hold anything, patient data included).
 */
import { receivedMessageWorkflowId } from '../../../domain/received-message-identity';

const HEADER = { messageHeaderId: 'ea7221b8-3cc0-4b11-bc95-585b056b5428' };

test('same mailbox and MessageHeader id: same workflow id, whatever the mailbox case', () => {
  expect(receivedMessageWorkflowId('Y90002MB01', HEADER)).toBe(
    receivedMessageWorkflowId('y90002mb01', HEADER),
  );
  expect(receivedMessageWorkflowId('Y90002MB01', HEADER)).toMatch(/^received-[0-9a-f-]{36}$/);
});

test('another mailbox, another message, or an unreadable message named by its MESH id: other ids', () => {
  const ids = new Set([
    receivedMessageWorkflowId('Y90002MB01', HEADER),
    receivedMessageWorkflowId('Y90003MB01', HEADER),
    receivedMessageWorkflowId('Y90002MB01', { messageHeaderId: 'another' }),
    receivedMessageWorkflowId('Y90002MB01', { meshMessageId: HEADER.messageHeaderId }),
  ]);
  expect(ids.size).toBe(4);
});

test('carries nothing of the MessageHeader id a sender wrote', () => {
  expect(receivedMessageWorkflowId('Y90002MB01', { messageHeaderId: '9990000018 SMITH' })).not.toMatch(
    /9990000018|SMITH/,
  );
});
