/**
 * The specification examples (GP Connect Messaging 1.5.0 and 1.2.1 consultation reports, the generic Send Document
 * example), re-addressed to a patient registered at Hillside Surgery (Y90002) and sent to its mailbox with NHS
 * England's mesh-client: fedreport's receiver, in the worker as the local stack runs it, takes each from the inbox,
 * files it (the practice acknowledges on receipt) and answers 20013 then 30001 to the sender's mailbox, where
 * mesh-client reads the answers.
 */
import { SPEC_EXAMPLES } from '../../unit/itk3/received-fixtures';
import { until } from '../inbox/support/inbox-stack';
import {
  HILLSIDE_MAILBOX,
  federationForOutsideSender,
  answersInSenderMailbox,
  readdressed,
  sendWithMeshClient,
  type ReceivedAnswer,
} from './support/spec-messages';

const federation = federationForOutsideSender('fedreport-received-');

const answers: ReceivedAnswer[] = [];
async function answersTo(messageHeaderId: string, count: number): Promise<ReceivedAnswer[]> {
  return until(`${count} answers to ${messageHeaderId}`, async () => {
    answers.push(...(await answersInSenderMailbox()));
    const mine = answers.filter((a) => a.originalMessageHeaderId === messageHeaderId);
    return mine.length >= count ? mine : undefined;
  });
}

test.each([SPEC_EXAMPLES.v15, SPEC_EXAMPLES.v121, SPEC_EXAMPLES.generic])(
  '%s is accepted, filed, and answered 20013 then 30001',
  async (file) => {
    const message = readdressed(file);
    const meshMessageId = await sendWithMeshClient(message, HILLSIDE_MAILBOX);

    expect(await federation.stack.receivedResult(HILLSIDE_MAILBOX, message.messageHeaderId)).toMatchObject({
      infrastructureCode: '20013',
      businessCode: '30001',
    });
    expect(await federation.stack.documentState(meshMessageId)).toBe('filed');
    const received = await answersTo(message.messageHeaderId, 2);
    expect(received.map((a) => [a.code, a.positive, a.responderOdsCode])).toEqual([
      ['20013', true, 'Y90002'],
      ['30001', true, 'Y90002'],
    ]);
    expect(received.every((a) => a.meshWorkflowId === 'GPFED_CONSULT_REPORT_ACK')).toBe(true);
  },
);
