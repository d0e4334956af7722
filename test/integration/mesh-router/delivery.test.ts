/**
 * The MESH router delivers GPPROVIDER sends to the registered practice's mailbox, for NHS England's mesh-client as
 * for fedreport's client: the PDS double says where the patient is registered, the example federation's directory
 * which mailbox that practice reads. Everything else goes through to mesh-sandbox unchanged.
 */
import crypto from 'node:crypto';
import type { SimulatorLogger } from '../../../simulators/receiving-practice/logging';
import { resetMesh } from '../../support/mesh';
import {
  closeRouters,
  drainInbox,
  readWithMeshClient,
  routedClient,
  sendWithMeshClient,
  startTestRouter,
} from './support';

/** Eleanor Whitfield, registered at Hillside Surgery (Y90002, mailbox X26ABC2) in the PDS double. */
const WHITFIELD = 'GPPROVIDER_9990000018_19580314_Whitfield';

const logs: string[] = [];
const logger: SimulatorLogger = {
  debug: () => undefined,
  info: (fields, message) => logs.push(JSON.stringify({ ...fields, message })),
  warn: (fields, message) => logs.push(JSON.stringify({ ...fields, message })),
};

beforeEach(() => resetMesh());
afterAll(() => closeRouters());

describe.each([
  { name: 'plain', compress: false, size: 3_000 },
  { name: 'chunked and compressed', compress: true, size: 10_000 },
])('mesh-client, $name', ({ compress, size }) => {
  test('a send to a GPPROVIDER address arrives in the registered practice mailbox with the same content and headers', async () => {
    const router = await startTestRouter({ logger });
    const body = crypto.randomBytes(size);
    const messageId = await sendWithMeshClient(router, 'X26ABC1', {
      recipient: WHITFIELD,
      body_b64: body.toString('base64'),
      workflow_id: 'GPFED_CONSULT_REPORT',
      subject: 'Consultation report',
      local_id: 'local-1',
      filename: 'report.xml',
      content_type: 'application/fhir+xml',
      compress,
      max_chunk_size: 4_096,
    });

    const received = await readWithMeshClient(router, 'X26ABC2', messageId);
    expect(received.body.equals(body)).toBe(true);
    expect(received).toMatchObject({
      type: 'DATA',
      headers: {
        from: 'X26ABC1',
        to: 'X26ABC2',
        workflowid: 'GPFED_CONSULT_REPORT',
        subject: 'Consultation report',
        localid: 'local-1',
        filename: 'report.xml',
        'content-type': 'application/fhir+xml',
      },
    });
    expect(await drainInbox(routedClient(router, 'X26ABC1'))).toEqual([]);
    const logText = logs.join('\n');
    expect(logText).toContain('GPPROVIDER send routed');
    expect(logText).not.toMatch(/GPPROVIDER_|9990000018|Whitfield|19580314/i);
  });
});

test('fedreport’s client: any case, spacing and punctuation of the surname routes, on GPCONNECT_SEND_DOCUMENT too; tracking shows the practice mailbox', async () => {
  const router = await startTestRouter();
  const sender = routedClient(router, 'X26ABC1');
  // Tomás O'Brien-Ngata, registered at Orchard Health Centre (Y90003, mailbox X26ABC3).
  const sent = await sender.send({
    to: 'GPPROVIDER_9990000026_19840702_OBRIEN NGATA',
    workflowId: 'GPCONNECT_SEND_DOCUMENT',
    body: '{}',
    localId: 'local-2',
  });
  const whitfield = await sender.send({
    to: 'GPPROVIDER_9990000018_19580314_whitfield',
    workflowId: 'GPFED_CONSULT_REPORT',
    body: '<x/>',
  });

  const atOrchard = await drainInbox(routedClient(router, 'X26ABC3'));
  expect(atOrchard).toEqual([
    expect.objectContaining({
      messageId: sent.messageId,
      to: 'X26ABC3',
      from: 'X26ABC1',
      workflowId: 'GPCONNECT_SEND_DOCUMENT',
      localId: 'local-2',
    }),
  ]);
  expect((await drainInbox(routedClient(router, 'X26ABC2'))).map((m) => m.messageId)).toEqual([
    whitfield.messageId,
  ]);
  expect(await sender.track(sent.messageId)).toMatchObject({ recipient: 'X26ABC3', localId: 'local-2' });
});

test('endpoint lookup is answered from the directory, in v2 and v1 shapes', async () => {
  const router = await startTestRouter();
  expect(await routedClient(router, 'X26ABC1').lookupEndpoint('Y90003', 'GPFED_CONSULT_REPORT')).toEqual([
    { mailboxId: 'X26ABC3', mailboxName: 'Orchard Health Centre' },
  ]);
  expect(await routedClient(router, 'X26ABC1').lookupEndpoint('Y90003', 'TEST_WORKFLOW')).toEqual([]);
  const v1 = await fetch(`${router.url}/messageexchange/endpointlookup/y90002/GPFED_CONSULT_REPORT`, {
    headers: { accept: 'application/json' },
  });
  expect(await v1.json()).toEqual({
    query_id: expect.stringMatching(/^[0-9a-f]{32}$/),
    results: [{ address: 'X26ABC2', description: 'Hillside Surgery', endpoint_type: 'MESH' }],
  });
});

test('everything else passes through: mailbox ids, a GPPROVIDER address on a workflow MESH does not route (417), bad credentials (403)', async () => {
  const router = await startTestRouter();
  const sender = routedClient(router, 'X26ABC1');
  const direct = await sender.send({ to: 'X26ABC2', workflowId: 'GPFED_CONSULT_REPORT_ACK', body: 'ack' });
  expect((await drainInbox(routedClient(router, 'X26ABC2'))).map((m) => m.messageId)).toEqual([
    direct.messageId,
  ]);
  // A spelling no test creates as a mailbox: mesh-sandbox looks the address up literally.
  const unrouted = `${WHITFIELD}-Passthrough`;
  await expect(sender.send({ to: unrouted, workflowId: 'TEST_WORKFLOW', body: 'x' })).rejects.toEqual(
    expect.objectContaining({ status: 417 }),
  );
  const response = await fetch(`${router.url}/messageexchange/X26ABC1/inbox`, {
    headers: { authorization: 'NHSMESH X26ABC1:bad:0:202601010000:00' },
  });
  expect(response.status).toBe(403);
  expect((await fetch(`${router.url}/health`)).status).toBe(200);
});

test('start-up and PDS trouble: a missing holding mailbox stops the start; PDS unreachable answers 503 and stores nothing', async () => {
  await expect(startTestRouter({ holdingMailbox: 'NOSUCHMAILBOX' })).rejects.toThrow(
    /needs mailbox NOSUCHMAILBOX in mesh-sandbox/,
  );
  const router = await startTestRouter({ pdsUrl: 'http://127.0.0.1:9/personal-demographics/FHIR/R4' });
  const response = await fetch(`${router.url}/messageexchange/X26ABC1/outbox`, {
    method: 'POST',
    headers: {
      'mex-to': WHITFIELD,
      'mex-workflowid': 'GPFED_CONSULT_REPORT',
      'content-type': 'application/octet-stream',
    },
    body: 'x',
  });
  expect(response.status).toBe(503);
  const text = await response.text();
  expect(text).toContain('could not trace the GPPROVIDER address in PDS');
  expect(text).not.toMatch(/9990000018|Whitfield/);
  expect(await drainInbox(routedClient(router, 'X26ABC2'))).toEqual([]);
});
