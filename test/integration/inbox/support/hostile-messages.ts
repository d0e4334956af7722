/**
 * Messages no honest sender writes, built without ever holding their expanded size in memory.
 */
import crypto from 'node:crypto';
import zlib from 'node:zlib';

/** gzip of `bytes` zero bytes, deflated as it is produced (1 GiB of zeros gzips to about 1 MB). */
export async function gzipOfZeros(bytes: number): Promise<Buffer> {
  const gzip = zlib.createGzip({ level: 9 });
  const parts: Buffer[] = [];
  gzip.on('data', (part: Buffer) => parts.push(part));
  const done = new Promise<void>((resolve, reject) => {
    gzip.on('end', resolve);
    gzip.on('error', reject);
  });
  const block = Buffer.alloc(1024 * 1024);
  for (let written = 0; written < bytes; written += block.length) {
    const last = bytes - written < block.length;
    if (!gzip.write(last ? block.subarray(0, bytes - written) : block)) {
      await new Promise((resolve) => gzip.once('drain', resolve));
    }
  }
  gzip.end();
  await done;
  return Buffer.concat(parts);
}

/** Incompressible content of this size. */
export function randomContent(bytes: number): Buffer {
  return crypto.randomBytes(bytes);
}
