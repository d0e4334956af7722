import zlib from 'node:zlib';
import { prepareChunks } from '../../../integrations/mesh/chunking';

test('content is split into chunks of the uncompressed size, each gzipped on its own', async () => {
  const content = Buffer.from('a'.repeat(2500));
  const chunks = await prepareChunks(content, 1000, true);
  expect(chunks).toHaveLength(3);
  const decoded = chunks.map((chunk) => zlib.gunzipSync(chunk));
  expect(decoded.map((d) => d.length)).toEqual([1000, 1000, 500]);
  expect(Buffer.concat(decoded).equals(content)).toBe(true);
});

test('content within the chunk size stays one uncompressed request', async () => {
  const chunks = await prepareChunks(Buffer.from('hello'), 1000, false);
  expect(chunks.map(String)).toEqual(['hello']);
});
