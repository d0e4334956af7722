import { DEFAULT_INBOX_POLICY, kindOf, listedWorkflows } from '../../../activities/inbox/inbox-policy';
import type { MeshMessageHeaders } from '../../../integrations/mesh/download';

const headers = (workflowId: string | undefined, messageType: 'DATA' | 'REPORT'): MeshMessageHeaders => ({
  messageId: 'M1',
  messageType,
  workflowId,
  contentCompressed: false,
  contentEncrypted: false,
  status: { success: messageType === 'DATA' },
  chunks: 1,
});
const receiving = { ...DEFAULT_INBOX_POLICY, receiveDocuments: true };

describe('which inbox messages are fedreport’s', () => {
  it('lists the answer workflows and the send workflows of both GP Connect names, each with its own filter', () => {
    expect(listedWorkflows()).toEqual([
      'GPFED_CONSULT_REPORT_ACK',
      'GPFED_CONSULT_REPORT',
      'GPCONNECT_SEND_DOCUMENT_ACK',
      'GPCONNECT_SEND_DOCUMENT',
    ]);
  });

  it.each([
    ['an ITK3 answer', 'GPFED_CONSULT_REPORT_ACK', 'DATA', 'ack', 'ack'],
    ['an ITK3 answer (v2 workflow)', 'GPCONNECT_SEND_DOCUMENT_ACK', 'DATA', 'ack', 'ack'],
    ['a MESH REPORT about one of our sends', 'GPFED_CONSULT_REPORT', 'REPORT', 'report', 'report'],
    ['a MESH REPORT about a v2 send', 'GPCONNECT_SEND_DOCUMENT', 'REPORT', 'report', 'report'],
    ['a report for the practice’s own system', 'GPFED_CONSULT_REPORT', 'DATA', null, 'document'],
    ['a REPORT about someone’s answer', 'GPFED_CONSULT_REPORT_ACK', 'REPORT', null, null],
    ['another workflow', 'PATH_RESULTS', 'DATA', null, null],
    ['a message without a workflow', undefined, 'DATA', null, null],
  ] as const)('%s: %s %s → %s (receiving side on: %s)', (_case, workflow, type, byDefault, whenReceiving) => {
    expect(kindOf(headers(workflow, type), DEFAULT_INBOX_POLICY)).toBe(byDefault);
    expect(kindOf(headers(workflow, type), receiving)).toBe(whenReceiving);
  });

  it('reads acks and REPORTs only when small, documents up to 20 MiB (kept whole in the archive database)', () => {
    expect(DEFAULT_INBOX_POLICY.limits).toEqual({
      ack: { maxBytes: 1024 * 1024, maxChunks: 1 },
      report: { maxBytes: 64 * 1024, maxChunks: 1 },
      document: { maxBytes: 20 * 1024 * 1024, maxChunks: 20 },
    });
  });
});
