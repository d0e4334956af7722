import { promisify } from 'node:util';
import zlib from 'node:zlib';

const gzip = promisify(zlib.gzip);

/**
 * Splits the uncompressed content into chunks of at most `chunkSize` bytes and, when asked, gzips each chunk on its
 * own: the API requires independent compression so a receiver can decode chunk by chunk.
 */
export async function prepareChunks(content: Buffer, chunkSize: number, compress: boolean): Promise<Buffer[]> {
  const parts: Buffer[] = [];
  for (let offset = 0; offset < content.length; offset += chunkSize) {
    parts.push(content.subarray(offset, Math.min(offset + chunkSize, content.length)));
  }
  return compress ? Promise.all(parts.map((part) => gzip(part))) : parts;
}
