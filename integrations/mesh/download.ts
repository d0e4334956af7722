/**
 * Reading a downloaded MESH message within limits the caller chooses from its headers: the chunk count and declared
 * size are checked before any of the body is read, and while reading, the bytes on the wire and the bytes gzip
 * inflates to are counted and the transfer stopped at the limit. Bodies go to memory (small messages) or are
 * streamed to a file chunk by chunk, so a large or hostile message never has to fit in the process.
 */
import fs from 'node:fs';
import { Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { MeshMessageTooLargeError, MeshResponseError, type MeshSizeMeasure } from './errors';
import type { MeshIncomingMessage } from './messages';
import { connectionError, type MeshStreamResponse } from './transport';

export interface DownloadLimits {
  /** Largest message accepted in bytes: declared, read from the wire and after inflation, whichever is larger. */
  maxBytes: number;
  maxChunks: number;
}

/** What `download()` allows when the caller names no limits (operator commands, simulators). */
export const DEFAULT_DOWNLOAD_LIMITS: DownloadLimits = { maxBytes: 1024 * 1024 * 1024, maxChunks: 1_000 };

/** A downloaded message's description: everything but the body. */
export type MeshMessageHeaders = Omit<MeshIncomingMessage, 'body'>;

const GZIP_MAGIC = Buffer.from([0x1f, 0x8b]);

/** Chunk 2..N of the same message, requested but not yet read. */
export type ChunkFetcher = (chunkNumber: number) => Promise<MeshStreamResponse>;

/** A message whose first response has arrived: headers read, body not. Read it once, or discard it. */
export class OpenedMeshMessage {
  constructor(
    readonly description: MeshMessageHeaders,
    private readonly first: MeshStreamResponse,
    private readonly fetchChunk: ChunkFetcher,
  ) {}

  /** Throws MeshMessageTooLargeError when the headers alone exceed the limits; nothing of the body is read. */
  checkDeclared(limits: DownloadLimits): void {
    if (this.description.chunks > limits.maxChunks) throw this.tooLarge('chunks', limits.maxChunks);
    const declared = Number(this.first.headers['content-length']);
    if (Number.isFinite(declared) && declared > limits.maxBytes) {
      throw this.tooLarge('declared bytes', limits.maxBytes);
    }
  }

  /**
   * The whole decoded body in memory. With `inflatePayload`, a payload flagged mex-content-compressed that is itself
   * gzip is inflated too, within the same limit (for content that cannot legitimately be gzip, e.g. ITK3 XML:
   * mesh-sandbox flags every transfer it gzips itself, so the flag alone does not say the sender compressed it).
   */
  async readToBuffer(limits: DownloadLimits, options: { inflatePayload?: boolean } = {}): Promise<Buffer> {
    const parts: Buffer[] = [];
    const collector = (): Writable =>
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          parts.push(chunk);
          done();
        },
      });
    await this.readInto(limits, collector);
    const body = Buffer.concat(parts);
    return options.inflatePayload ? this.inflatePayload(body, limits.maxBytes) : body;
  }

  /** Streams the decoded body into `file` (created 0600, chunk after chunk); answers the bytes written. */
  readToFile(file: string, limits: DownloadLimits): Promise<number> {
    return this.readInto(limits, (chunkNumber) =>
      fs.createWriteStream(file, { flags: chunkNumber === 1 ? 'w' : 'a', mode: 0o600 }),
    );
  }

  /** Releases the connection without reading the body. */
  discard(): void {
    releaseBody(this.first);
  }

  private async readInto(
    limits: DownloadLimits,
    sinkFor: (chunkNumber: number) => Writable,
  ): Promise<number> {
    try {
      this.checkDeclared(limits);
    } catch (error) {
      this.discard();
      throw error;
    }
    const counted = { wire: 0, decoded: 0 };
    for (let chunkNumber = 1; chunkNumber <= this.description.chunks; chunkNumber += 1) {
      const response = chunkNumber === 1 ? this.first : await this.fetchChunk(chunkNumber);
      await this.pipeChunk(response, limits.maxBytes, counted, sinkFor(chunkNumber));
    }
    return counted.decoded;
  }

  private async pipeChunk(
    response: MeshStreamResponse,
    maxBytes: number,
    counted: { wire: number; decoded: number },
    sink: Writable,
  ): Promise<void> {
    const gzip = response.headers['content-encoding']?.toLowerCase() === 'gzip';
    const wire = this.limiter(maxBytes, (n) => (counted.wire += n));
    const decoded = this.limiter(maxBytes, (n) => (counted.decoded += n));
    try {
      if (gzip) await pipeline(response.body, wire, zlib.createGunzip(), decoded, sink);
      else await pipeline(response.body, wire, decoded, sink);
    } catch (error) {
      throw this.readError(error);
    }
  }

  /** Passes bytes on while the running total stays within the limit. */
  private limiter(limit: number, add: (bytes: number) => number): Transform {
    const tooLarge = () => this.tooLarge('bytes', limit);
    return new Transform({
      transform(chunk: Buffer, _encoding, done) {
        if (add(chunk.length) > limit) done(tooLarge());
        else done(null, chunk);
      },
    });
  }

  private inflatePayload(body: Buffer, maxBytes: number): Buffer {
    if (!this.description.contentCompressed || !body.subarray(0, 2).equals(GZIP_MAGIC)) return body;
    try {
      return zlib.gunzipSync(body, { maxOutputLength: maxBytes });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE')
        throw this.tooLarge('bytes', maxBytes);
      throw this.readError(error);
    }
  }

  /** Local file errors as they are; gzip and size problems typed; anything else is the connection failing. */
  private readError(error: unknown): unknown {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    const messageId = this.description.messageId;
    if (error instanceof MeshMessageTooLargeError) return error;
    if (code.startsWith('Z_'))
      return new MeshResponseError('download', 'body declared gzip is not valid gzip', messageId);
    if ((error as NodeJS.ErrnoException).syscall !== undefined && !code.startsWith('ECONN')) return error;
    return connectionError('download', error, messageId);
  }

  private tooLarge(measure: MeshSizeMeasure, limit: number): MeshMessageTooLargeError {
    return new MeshMessageTooLargeError(measure, limit, this.description.messageId);
  }
}

/** Stops a response body nobody will read (its abort error has nowhere to go but here). */
export function releaseBody(response: {
  body: { on(event: 'error', listener: () => void): unknown; destroy(): unknown };
}): void {
  response.body.on('error', () => undefined);
  response.body.destroy();
}
