/**
 * Interoperation with NHS England's official Python mesh-client as an independent peer: whatever one client sends
 * through mesh-sandbox, the other reads intact — plain, gzip-compressed and chunked.
 */
import crypto from 'node:crypto';
import { createMeshClient, type MeshClient } from '../../../integrations/mesh/client';
import { meshTestConfig, resetMesh } from '../../support/mesh';
import { runPythonMeshPeer, sandboxMeshClient } from '../../support/python/mesh-peer';

const CHUNK_SIZE = 4_096;

const variants = [
  { name: 'plain', compress: false, size: 3_000 },
  { name: 'compressed', compress: true, size: 3_000 },
  { name: 'chunked', compress: false, size: 10_000 },
  { name: 'chunked and compressed', compress: true, size: 10_000 },
] as const;

let ours: { sender: MeshClient; receiver: MeshClient };
beforeAll(() => {
  ours = {
    sender: createMeshClient(meshTestConfig('X26ABC1', { chunkSizeBytes: CHUNK_SIZE })),
    receiver: createMeshClient(meshTestConfig('X26ABC2')),
  };
});
afterAll(() => Promise.all([ours.sender.close(), ours.receiver.close()]));
beforeEach(() => resetMesh());

describe.each(variants)('$name message', ({ compress, size }) => {
  const payload = crypto.randomBytes(size);

  test('sent by fedreport is read intact by mesh-client', async () => {
    const sent = await ours.sender.send({
      to: 'X26ABC2',
      workflowId: 'GPFED_CONSULT_REPORT',
      body: payload,
      subject: 'Consultation report',
      localId: 'enc-1-v1',
      filename: 'report.pdf',
      contentType: 'application/pdf',
      compress,
    });
    expect(sent.chunks).toBe(size > CHUNK_SIZE ? 3 : 1);

    const received = await runPythonMeshPeer({
      op: 'receive',
      client: sandboxMeshClient('X26ABC2'),
      message_id: sent.messageId,
      acknowledge: true,
    });
    expect(Buffer.from(received.body_b64, 'base64').equals(payload)).toBe(true);
    expect(received.message_type).toBe('DATA');
    expect(received.headers).toMatchObject({
      from: 'X26ABC1',
      workflowid: 'GPFED_CONSULT_REPORT',
      subject: 'Consultation report',
      localid: 'enc-1-v1',
      filename: 'report.pdf',
      'content-type': 'application/pdf',
    });
  });

  test('sent by mesh-client is read intact by fedreport', async () => {
    const { message_id: messageId } = await runPythonMeshPeer({
      op: 'send',
      client: sandboxMeshClient('X26ABC1'),
      recipient: 'X26ABC2',
      body_b64: payload.toString('base64'),
      workflow_id: 'GPFED_CONSULT_REPORT_ACK',
      subject: 'Acknowledgement',
      local_id: 'ack-1',
      filename: 'ack.xml',
      content_type: 'application/fhir+xml',
      compress,
      max_chunk_size: CHUNK_SIZE,
    });

    const message = await ours.receiver.download(messageId);
    expect(message.body.equals(payload)).toBe(true);
    expect(message).toMatchObject({
      messageType: 'DATA',
      from: 'X26ABC1',
      workflowId: 'GPFED_CONSULT_REPORT_ACK',
      subject: 'Acknowledgement',
      localId: 'ack-1',
      filename: 'ack.xml',
      contentType: 'application/fhir+xml',
      chunks: size > CHUNK_SIZE ? 3 : 1,
    });
    await ours.receiver.acknowledge(messageId);
  });
});
