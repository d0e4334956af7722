import { Itk3ParseError } from '../../../integrations/itk3/errors';
import { parseMeshReport, type MeshHeaders } from '../../../integrations/mesh/report-parser';

const REPORT = {
  'mex-messagetype': 'REPORT',
  'mex-linkedmsgid': '20261120134500123456_ABC123',
  'mex-localid': '8ba9ab3d-dd25-5f29-b0f2-55e341ee6ff9',
  'mex-workflowid': 'GPFED_CONSULT_REPORT',
  'mex-statuscode': 'EPL-153',
  'mex-statusdescription': 'ERROR_NHSNUMBER_NOT_FOUND',
  'mex-statusevent': 'SEND',
  'mex-statussuccess': 'ERROR',
  'mex-to': 'GPPROVIDER_9990000018_19580314_Whitfield',
};

function parseError(headers: MeshHeaders): Itk3ParseError {
  try {
    parseMeshReport(headers);
  } catch (error) {
    if (error instanceof Itk3ParseError) return error;
    throw error;
  }
  throw new Error('expected an Itk3ParseError');
}

describe('MESH REPORT parser', () => {
  it('reads which message failed, why, and leaves the patient address out', () => {
    const report = parseMeshReport(REPORT);
    expect(report).toEqual({
      linkedMessageId: '20261120134500123456_ABC123',
      localId: '8ba9ab3d-dd25-5f29-b0f2-55e341ee6ff9',
      workflowId: 'GPFED_CONSULT_REPORT',
      statusCode: 'EPL-153',
      description: 'ERROR_NHSNUMBER_NOT_FOUND',
      event: 'SEND',
      outcome: 'routing-failed',
    });
    expect(JSON.stringify(report)).not.toContain('GPPROVIDER');
  });

  it.each([
    ['14', 'undelivered'],
    ['EPL-150', 'routing-failed'],
    ['EPL-151', 'routing-failed'],
    ['EPL-152', 'routing-failed'],
    ['epl-154', 'routing-failed'],
    ['EPL-155', 'other-error'],
    ['02', 'other-error'],
    ['12', 'other-error'],
  ])('classifies status code %s as %s', (code, outcome) => {
    expect(parseMeshReport({ ...REPORT, 'mex-statuscode': code }).outcome).toBe(outcome);
  });

  it('accepts a fetch Headers object and header names in any case, repeated values by their first', () => {
    const headers = new Headers({
      'Mex-MessageType': 'report',
      'MEX-LINKEDMSGID': 'm1',
      'Mex-StatusCode': '14',
    });
    expect(parseMeshReport(headers)).toEqual({
      linkedMessageId: 'm1',
      statusCode: '14',
      description: '',
      event: '',
      outcome: 'undelivered',
    });
    expect(
      parseMeshReport({
        'mex-messagetype': ['REPORT', 'DATA'],
        'mex-linkedmsgid': 'm1',
        'mex-statuscode': '14',
      }).linkedMessageId,
    ).toBe('m1');
  });

  it.each<[string, MeshHeaders, string, string]>([
    ['a DATA message', { ...REPORT, 'mex-messagetype': 'DATA' }, 'unexpected-content', 'mex-messagetype'],
    [
      'a report of success',
      { ...REPORT, 'mex-statussuccess': 'SUCCESS' },
      'unexpected-content',
      'mex-statussuccess',
    ],
    ['no message type', { ...REPORT, 'mex-messagetype': undefined }, 'missing-field', 'mex-messagetype'],
    ['no linked message id', { ...REPORT, 'mex-linkedmsgid': undefined }, 'missing-field', 'mex-linkedmsgid'],
    ['an empty linked message id', { ...REPORT, 'mex-linkedmsgid': '' }, 'invalid-field', 'mex-linkedmsgid'],
    ['no status code', { ...REPORT, 'mex-statuscode': undefined }, 'missing-field', 'mex-statuscode'],
  ])('rejects %s', (_what, headers, reason, field) => {
    const error = parseError(headers);
    expect(error.reason).toBe(reason);
    expect(error.field).toBe(field);
    expect(error.message).not.toContain('9990000018');
  });
});
