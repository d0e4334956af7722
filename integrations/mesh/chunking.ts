import { promisify } from 'node:util';
import zlib from 'node:zlib';

const gzip = promisify(zlib.gzip);
/** Below this, compressing on the event loop is several times cheaper than a thread-pool round trip and stays short. */
const SYNC_GZIP_MAX_BYTES = 256 * 1024;

/**
 * Splits the uncompressed content into chunks of at most `chunkSize` bytes and, when asked, gzips each chunk on its
 * own: the API requires independent compression so a receiver can decode chunk by chunk.
 */
export async function prepareChunks(
  content: Buffer,
  chunkSize: number,
  compress: boolean,
): Promise<Buffer[]> {
  const parts: Buffer[] = [];
  for (let offset = 0; offset < content.length; offset += chunkSize) {
    parts.push(content.subarray(offset, Math.min(offset + chunkSize, content.length)));
  }
  if (!compress) return parts;
  return Promise.all(
    parts.map(async (part) => (part.length <= SYNC_GZIP_MAX_BYTES ? zlib.gzipSync(part) : gzip(part))),
  );
}
