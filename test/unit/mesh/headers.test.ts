import {
  buildHandshakeHeaders,
  buildSendHeaders,
  parseIncomingHeaders,
} from '../../../integrations/mesh/headers';
import { validateOutgoingMessage } from '../../../integrations/mesh/messages';

const message = validateOutgoingMessage({
  to: 'GPPROVIDER_9000000009_20101022_SMITH',
  workflowId: 'GPFED_CONSULT_REPORT',
  body: '<Bundle/>',
  subject: 'Consultation report',
  localId: 'enc-1-v1',
  filename: 'report.xml',
  contentType: 'application/fhir+xml',
  compress: true,
  contentEncrypted: false,
});

test('a single-request send carries the whole mex control set', () => {
  expect(buildSendHeaders('X26ABC1', message, { number: 1, total: 1 })).toEqual({
    'content-type': 'application/fhir+xml',
    'content-encoding': 'gzip',
    'mex-to': 'GPPROVIDER_9000000009_20101022_SMITH',
    'mex-from': 'X26ABC1',
    'mex-workflowid': 'GPFED_CONSULT_REPORT',
    'mex-subject': 'Consultation report',
    'mex-localid': 'enc-1-v1',
    'mex-filename': 'report.xml',
    'mex-content-type': 'application/fhir+xml',
    'mex-content-encrypted': 'N',
  });
});

test('a chunked send announces 1:N first, then sends later chunks with only their range and encoding', () => {
  const first = buildSendHeaders('X26ABC1', message, { number: 1, total: 3 });
  expect(first['mex-chunk-range']).toBe('1:3');
  expect(first['content-type']).toBe('application/octet-stream');
  expect(first['mex-content-type']).toBe('application/fhir+xml');

  expect(buildSendHeaders('X26ABC1', message, { number: 3, total: 3 })).toEqual({
    'content-type': 'application/octet-stream',
    'mex-chunk-range': '3:3',
    'content-encoding': 'gzip',
  });
});

test('the handshake describes the client with the headers MESH requires', () => {
  const headers = buildHandshakeHeaders('fedreport/0.1.0');
  expect(headers['mex-clientversion']).toBe('fedreport/0.1.0');
  expect(headers['mex-osname']).toBeTruthy();
  expect(headers['mex-osversion']).toBeTruthy();
});

test('a REPORT download is read into its status, linked message and original control fields', () => {
  const parsed = parseIncomingHeaders('ABC', 'REPORT', {
    'mex-messageid': 'ABC',
    'mex-messagetype': 'REPORT',
    'mex-statussuccess': 'ERROR',
    'mex-statuscode': 'EPL-151',
    'mex-statusevent': 'SEND',
    'mex-statusdescription': 'No mailbox matched',
    'mex-statustimestamp': '20240101120000',
    'mex-linkedmsgid': 'ORIGINAL1',
    'mex-workflowid': 'GPFED_CONSULT_REPORT',
    'mex-localid': 'enc-1-v1',
    'mex-chunk-range': '1:0',
  });
  expect(parsed).toMatchObject({
    messageType: 'REPORT',
    linkedMessageId: 'ORIGINAL1',
    localId: 'enc-1-v1',
    chunks: 1,
    status: {
      success: false,
      code: 'EPL-151',
      event: 'SEND',
      description: 'No mailbox matched',
      timestamp: '20240101120000',
    },
  });
});
