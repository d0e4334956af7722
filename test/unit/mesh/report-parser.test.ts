/** MESH REPORTs read from the typed download: which message failed, why, its class, and no patient address. */
import { Itk3ParseError } from '../../../integrations/itk3/errors';
import type { MeshIncomingMessage } from '../../../integrations/mesh/messages';
import { readMeshReport } from '../../../integrations/mesh/report-parser';

const REPORT: MeshIncomingMessage = {
  messageId: '20261121090000654321_DEF456',
  messageType: 'REPORT',
  linkedMessageId: '20261120134500123456_ABC123',
  localId: '8ba9ab3d-dd25-5f29-b0f2-55e341ee6ff9',
  workflowId: 'GPFED_CONSULT_REPORT',
  to: 'GPPROVIDER_9990000018_19580314_Whitfield',
  contentCompressed: false,
  contentEncrypted: false,
  status: { success: false, code: 'EPL-153', description: 'ERROR_NHSNUMBER_NOT_FOUND', event: 'SEND' },
  chunks: 1,
  body: Buffer.alloc(0),
};

const withStatus = (status: Partial<MeshIncomingMessage['status']>): MeshIncomingMessage => ({
  ...REPORT,
  status: { ...REPORT.status, ...status },
});

function parseError(message: MeshIncomingMessage): Itk3ParseError {
  try {
    readMeshReport(message);
  } catch (error) {
    if (error instanceof Itk3ParseError) return error;
    throw error;
  }
  throw new Error('expected an Itk3ParseError');
}

describe('readMeshReport', () => {
  it('reads which message failed, why and its class, and leaves the patient address out', () => {
    const report = readMeshReport(REPORT);
    expect(report).toEqual({
      linkedMessageId: '20261120134500123456_ABC123',
      localId: '8ba9ab3d-dd25-5f29-b0f2-55e341ee6ff9',
      workflowId: 'GPFED_CONSULT_REPORT',
      statusCode: 'EPL-153',
      classification: 'routing-failure',
      description: 'ERROR_NHSNUMBER_NOT_FOUND',
      event: 'SEND',
    });
    expect(JSON.stringify(report)).not.toContain('GPPROVIDER');
  });

  it('normalises the status code before classifying it; absent texts read as empty', () => {
    const { localId: _localId, workflowId: _workflowId, ...bare } = REPORT;
    expect(readMeshReport({ ...bare, status: { success: false, code: ' epl-151 ' } })).toEqual({
      linkedMessageId: REPORT.linkedMessageId,
      statusCode: 'EPL-151',
      classification: 'routing-failure',
      description: '',
      event: '',
    });
  });

  it.each<[string, MeshIncomingMessage, string, string]>([
    ['a DATA message', { ...REPORT, messageType: 'DATA' }, 'unexpected-content', 'mex-messagetype'],
    ['a report of success', withStatus({ success: true }), 'unexpected-content', 'mex-statussuccess'],
    ['no linked message id', { ...REPORT, linkedMessageId: undefined }, 'missing-field', 'mex-linkedmsgid'],
    ['an empty linked message id', { ...REPORT, linkedMessageId: ' ' }, 'missing-field', 'mex-linkedmsgid'],
    ['no status code', withStatus({ code: undefined }), 'missing-field', 'mex-statuscode'],
  ])('rejects %s', (_what, message, reason, field) => {
    const error = parseError(message);
    expect(error.reason).toBe(reason);
    expect(error.field).toBe(field);
    expect(error.message).not.toContain('9990000018');
  });
});
