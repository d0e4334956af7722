/**
 * The MESH client's bounded downloads against mesh-sandbox: limits checked on the headers before the body is read,
 * gzip inflated with an output limit (transport and payload), large messages streamed to a file chunk by chunk, and a
 * HEAD that reads nothing. Memory is this process's, sampled while the hostile message is read.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createMeshClient } from '../../../integrations/mesh/client';
import { MeshMessageTooLargeError } from '../../../integrations/mesh/errors';
import { meshTestConfig, resetMesh } from '../../support/mesh';
import { gzipOfZeros, randomContent } from './support/hostile-messages';

const SENDER = 'X26ABC2';
const RECEIVER = 'X26ABC3';
const MIB = 1024 * 1024;
const ACK_LIMITS = { maxBytes: MIB, maxChunks: 1 };

const sender = createMeshClient(meshTestConfig(SENDER));
/** Sends in 4 MiB chunks. */
const chunkingSender = createMeshClient(meshTestConfig(SENDER, { chunkSizeBytes: 4 * MIB }));
const receiver = createMeshClient(meshTestConfig(RECEIVER, { readTimeoutMs: 60_000 }));

beforeEach(() => resetMesh(RECEIVER));
afterAll(async () => {
  await resetMesh(RECEIVER);
  await Promise.all([sender.close(), chunkingSender.close(), receiver.close()]);
});

function send(
  body: Buffer | string,
  options: { compress?: boolean; contentCompressed?: boolean; chunked?: boolean } = {},
) {
  const { chunked, ...flags } = options;
  return (chunked ? chunkingSender : sender).send({
    to: RECEIVER,
    workflowId: 'GPFED_CONSULT_REPORT_ACK',
    body,
    ...flags,
  });
}

/** Peak RSS growth of this process while `work` runs, sampled every 20 ms. */
async function peakGrowthMiB(work: () => Promise<unknown>): Promise<number> {
  const start = process.memoryUsage().rss;
  let peak = start;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return Math.round((Math.max(peak, process.memoryUsage().rss) - start) / MIB);
}

it('stops a gzip bomb (about 1 KB on the wire, 1.05 GB inside) at the limit, with memory to spare', async () => {
  const inner = await gzipOfZeros(1_050_000_000);
  const { messageId } = await send(inner, { compress: true, contentCompressed: true });
  let refused: unknown;
  const growth = await peakGrowthMiB(async () => {
    const opened = await receiver.open(messageId);
    refused = await opened
      .readToBuffer(ACK_LIMITS, { inflatePayload: true })
      .catch((error: unknown) => error);
  });
  expect(refused).toBeInstanceOf(MeshMessageTooLargeError);
  expect(refused).toMatchObject({ measure: 'bytes', limit: MIB, retryable: false });
  expect(growth).toBeLessThan(64);
});

it('stops a bomb in either layer: the transfer encoding, or a payload flagged mex-content-compressed', async () => {
  const transfer = await send(Buffer.alloc(70 * MIB), { compress: true });
  await expect((await receiver.open(transfer.messageId)).readToBuffer(ACK_LIMITS)).rejects.toMatchObject({
    measure: 'bytes',
  });

  const gzipBytes = await gzipOfZeros(200 * MIB);
  const flagged = await send(gzipBytes, { contentCompressed: true });
  await expect(
    (await receiver.open(flagged.messageId)).readToBuffer(ACK_LIMITS, { inflatePayload: true }),
  ).rejects.toMatchObject({ measure: 'bytes' });
  // Unless asked, the payload is opaque bytes, passed on as sent.
  const opaque = await send(gzipBytes, { contentCompressed: true });
  expect((await (await receiver.open(opaque.messageId)).readToBuffer(ACK_LIMITS)).equals(gzipBytes)).toBe(
    true,
  );
});

it('refuses from the headers alone: too many chunks, or a declared length over the limit', async () => {
  const chunked = await send(randomContent(9 * MIB), { chunked: true });
  expect((await receiver.peek(chunked.messageId)).chunks).toBe(3);
  const opened = await receiver.open(chunked.messageId);
  expect(() => opened.checkDeclared(ACK_LIMITS)).toThrow(MeshMessageTooLargeError);
  await expect(opened.readToBuffer(ACK_LIMITS)).rejects.toMatchObject({ measure: 'chunks', limit: 1 });

  const plain = createMeshClient(meshTestConfig(RECEIVER, { acceptGzip: false }));
  try {
    const big = await send(randomContent(2 * MIB));
    await expect((await plain.open(big.messageId)).readToBuffer(ACK_LIMITS)).rejects.toMatchObject({
      measure: 'declared bytes',
    });
  } finally {
    await plain.close();
  }
});

it('streams a chunked, gzip-encoded message to a file with bounded memory, byte for byte', async () => {
  const content = randomContent(64 * MIB);
  const { messageId } = await send(content, { compress: true, chunked: true });
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'fedreport-download-')), 'message');
  let bytes = 0;
  const growth = await peakGrowthMiB(async () => {
    bytes = await (await receiver.open(messageId)).readToFile(file, { maxBytes: 100 * MIB, maxChunks: 20 });
  });
  expect(bytes).toBe(content.length);
  expect(fs.readFileSync(file).equals(content)).toBe(true);
  // Less than half the message: it never had to fit in memory.
  expect(growth).toBeLessThan(32);
});

it('peeks at a message without reading it: it stays in the inbox, whole', async () => {
  const { messageId } = await send('<Bundle/>');
  const headers = await receiver.peek(messageId);
  expect(headers).toMatchObject({
    messageId,
    messageType: 'DATA',
    workflowId: 'GPFED_CONSULT_REPORT_ACK',
    from: SENDER,
    chunks: 1,
  });
  expect((await receiver.listInboxPage()).messageIds).toEqual([messageId]);
  expect((await receiver.download(messageId)).body.toString()).toBe('<Bundle/>');
});

it('lists one workflow at a time with the MESH workflow filter', async () => {
  const ack = await send('ack');
  const other = await sender.send({ to: RECEIVER, workflowId: 'PATHOLOGY_RESULTS', body: 'other' });
  expect((await receiver.listInboxPage({ workflowFilter: 'GPFED_CONSULT_REPORT_ACK' })).messageIds).toEqual([
    ack.messageId,
  ]);
  expect((await receiver.listInboxPage({ workflowFilter: 'GPFED_CONSULT_REPORT' })).messageIds).toEqual([]);
  expect((await receiver.listInboxPage()).messageIds.sort()).toEqual([ack.messageId, other.messageId].sort());
});
