/**
 * Each way MESH fails to route a GPPROVIDER address: the send is accepted with a message id all the same, nothing
 * reaches a practice, and a REPORT with the EPL code arrives in the sender's inbox, which fedreport's report parser
 * reads as a routing failure of that message (its MESH message id, local id and workflow).
 */
import { readMeshReport } from '../../../integrations/mesh/report-parser';
import { createEndpointDirectory } from '../../../simulators/mesh-router/endpoint-directory';
import { MESH_ROUTER_HOLDING_MAILBOX } from '../../../simulators/mesh-router/sandbox-admin';
import { resetMesh } from '../../support/mesh';
import { closeRouters, drainInbox, readWithMeshClient, routedClient, sendWithMeshClient, startTestRouter, waitForReport } from './support';

/** Hillside Surgery (Y90002) has two mailboxes for the workflow; Orchard Health Centre (Y90003) none. */
const directory = createEndpointDirectory({
  endpoints: [
    { odsCode: 'Y90002', mailboxId: 'X26ABC2', workflowIds: ['GPFED_CONSULT_REPORT'] },
    { odsCode: 'Y90002', mailboxId: 'X26ABC3', workflowIds: ['GPFED_CONSULT_REPORT'] },
  ],
});

const cases = [
  {
    failure: 'wrong surname',
    to: 'GPPROVIDER_9990000018_19580314_Whitford',
    code: 'EPL-154',
    description: 'ERROR_NO_DEMOGRAPHICS_MATCH',
  },
  {
    failure: 'wrong date of birth',
    to: 'GPPROVIDER_9990000018_19580315_Whitfield',
    code: 'EPL-154',
    description: 'ERROR_NO_DEMOGRAPHICS_MATCH',
  },
  {
    failure: 'date of birth as DDMMYYYY',
    to: 'GPPROVIDER_9990000018_14031958_Whitfield',
    code: 'EPL-154',
    description: 'ERROR_NO_DEMOGRAPHICS_MATCH',
  },
  {
    failure: 'invalid NHS number',
    to: 'GPPROVIDER_9000000000_19580314_Whitfield',
    code: 'EPL-152',
    description: 'ERROR_INVALID_NHSNUMBER',
  },
  {
    failure: 'unknown NHS number',
    to: 'GPPROVIDER_9111231130_19580314_Whitfield',
    code: 'EPL-153',
    description: 'ERROR_NHSNUMBER_NOT_FOUND',
  },
  {
    failure: 'invalidated record',
    to: 'GPPROVIDER_9990000107_19580314_Whitfield',
    code: 'EPL-153',
    description: 'ERROR_NHSNUMBER_NOT_FOUND',
  },
  {
    failure: 'no mailbox for the practice',
    to: "GPPROVIDER_9990000026_19840702_O'Brien-Ngata",
    code: 'EPL-151',
    description: 'ERROR_NO_MAILBOX_MATCHES',
  },
  {
    failure: 'no registered practice',
    to: 'GPPROVIDER_9990000123_19660616_Lytton',
    code: 'EPL-151',
    description: 'ERROR_NO_MAILBOX_MATCHES',
  },
  {
    failure: 'too many mailboxes',
    to: 'GPPROVIDER_9990000018_19580314_Whitfield',
    code: 'EPL-150',
    description: 'ERROR_TOO_MANY_MAILBOX_MATCHES',
  },
];

beforeEach(() => resetMesh());
afterAll(() => closeRouters());

test.each(cases)(
  '$failure: accepted, then REPORT $code in the sender inbox, read as a routing failure',
  async ({ to, code, description }) => {
    const router = await startTestRouter({ directory });
    const sender = routedClient(router, 'X26ABC1');
    const localId = `local-${code}`;
    const sent = await sender.send({
      to,
      workflowId: 'GPFED_CONSULT_REPORT',
      body: '<report/>',
      localId,
      subject: 'Consultation report',
      filename: 'r.xml',
    });

    const report = await waitForReport(sender, sent.messageId);
    expect(readMeshReport(report)).toEqual({
      linkedMessageId: sent.messageId,
      localId,
      workflowId: 'GPFED_CONSULT_REPORT',
      statusCode: code,
      classification: 'routing-failure',
      description,
      event: expect.any(String),
    });
    expect(report).toMatchObject({ subject: 'Consultation report', filename: 'r.xml' });
    for (const practice of ['X26ABC2', 'X26ABC3', MESH_ROUTER_HOLDING_MAILBOX]) {
      expect(await drainInbox(routedClient(router, practice))).toEqual([]);
    }
    expect(await sender.track(sent.messageId)).toMatchObject({
      status: 'error',
      statusSuccess: false,
      localId,
    });
  },
);

test('a chunked send from mesh-client that fails is reported once all its chunks are in, and mesh-client reads the REPORT', async () => {
  const router = await startTestRouter({ directory });
  const messageId = await sendWithMeshClient(router, 'X26ABC1', {
    recipient: 'GPPROVIDER_9990000018_19580314_Whitford',
    body_b64: Buffer.alloc(10_000, 7).toString('base64'),
    workflow_id: 'GPFED_CONSULT_REPORT',
    local_id: 'local-chunked',
    max_chunk_size: 4_096,
  });
  const report = await waitForReport(routedClient(router, 'X26ABC1'), messageId);
  expect(await readWithMeshClient(router, 'X26ABC1', report.messageId)).toMatchObject({
    type: 'REPORT',
    headers: { statuscode: 'EPL-154', linkedmsgid: messageId, localid: 'local-chunked' },
  });
});
