/**
 * HTTP/1.1 over a bare TCP socket. fetch and undici refuse to send what a hostile client sends (control characters
 * in header values, odd methods, conflicting framing headers, unencoded paths), so the fuzzer writes the bytes
 * itself and parses the answer itself.
 */
import net from 'node:net';

export interface RawRequest {
  method: string;
  /** The request target exactly as written on the request line (not normalised or percent-encoded). */
  target: string;
  /** Header lines in order, written as given: names and values may carry bytes a well-behaved client never sends. */
  headers: (readonly [string, string])[];
  body?: Buffer;
  /**
   * How the body is framed: a Content-Length header added for it (the default), chunked transfer encoding added
   * for it, or neither (the case's own headers say whatever they say, right or wrong).
   */
  framing?: 'content-length' | 'chunked' | 'as-given';
  /** The request line's version; `HTTP/1.1` unless a case is about the version. */
  httpVersion?: string;
}

export type RawExchange =
  | { kind: 'response'; status: number; headers: Map<string, string>; body: string; ms: number }
  | { kind: 'no-response'; reason: string; ms: number };

const CRLF = '\r\n';
const CHUNK_BYTES = 64 * 1024;

export function serializeRequest(request: RawRequest): Buffer {
  const framing = request.framing ?? 'content-length';
  const headers = [...request.headers];
  const body = request.body ?? Buffer.alloc(0);
  if (framing === 'content-length' && request.body) headers.push(['Content-Length', String(body.length)]);
  if (framing === 'chunked') headers.push(['Transfer-Encoding', 'chunked']);
  // One request per connection: the answer ends when the server closes, whatever framing the answer has.
  if (!headers.some(([name]) => name.toLowerCase() === 'connection')) headers.push(['Connection', 'close']);
  const head = Buffer.from(
    `${request.method} ${request.target} ${request.httpVersion ?? 'HTTP/1.1'}${CRLF}` +
      headers.map(([name, value]) => `${name}: ${value}${CRLF}`).join('') +
      CRLF,
    'utf8',
  );
  return Buffer.concat([head, framing === 'chunked' ? chunked(body) : body]);
}

function chunked(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  for (let offset = 0; offset < body.length; offset += CHUNK_BYTES) {
    const chunk = body.subarray(offset, offset + CHUNK_BYTES);
    parts.push(Buffer.from(`${chunk.length.toString(16)}${CRLF}`), chunk, Buffer.from(CRLF));
  }
  parts.push(Buffer.from(`0${CRLF}${CRLF}`));
  return Buffer.concat(parts);
}

/** Sends one request on a fresh connection and reads the first final (non-1xx) answer, or says why there was none. */
export function exchange(port: number, request: RawRequest, timeoutMs: number): Promise<RawExchange> {
  const started = performance.now();
  const elapsed = () => performance.now() - started;
  const expectsBody = request.method.toUpperCase() !== 'HEAD';
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let received = Buffer.alloc(0);
    let settled = false;
    let socketError: string | undefined;
    const settle = (outcome: RawExchange) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(
      () => settle({ kind: 'no-response', reason: 'timeout', ms: elapsed() }),
      timeoutMs,
    );
    socket.on('data', (data: Buffer) => {
      received = Buffer.concat([received, data]);
      const parsed = parseResponse(received, expectsBody, false);
      if (parsed) settle({ kind: 'response', ...parsed, ms: elapsed() });
    });
    // The server may answer and close while the body is still being written (413, 400): the answer counts.
    socket.on('error', (error: NodeJS.ErrnoException) => {
      socketError = error.code ?? error.message;
    });
    socket.on('close', () => {
      const parsed = parseResponse(received, expectsBody, true);
      const reason =
        received.length > 0
          ? 'answered with something that is not HTTP'
          : (socketError ?? 'closed without an answer');
      settle(
        parsed
          ? { kind: 'response', ...parsed, ms: elapsed() }
          : { kind: 'no-response', reason, ms: elapsed() },
      );
    });
    socket.write(serializeRequest(request), () => undefined);
  });
}

type ParsedResponse = { status: number; headers: Map<string, string>; body: string };

/** The first final response in `data`, or undefined while it is incomplete (`closed`: no more bytes will come). */
function parseResponse(data: Buffer, expectsBody: boolean, closed: boolean): ParsedResponse | undefined {
  let offset = 0;
  for (;;) {
    const headEnd = data.indexOf('\r\n\r\n', offset);
    if (headEnd < 0) return undefined;
    const [statusLine, ...headerLines] = data.subarray(offset, headEnd).toString('latin1').split(CRLF);
    const status = Number(/^HTTP\/\d\.\d (\d{3})/.exec(statusLine ?? '')?.[1]);
    if (!Number.isInteger(status)) return undefined;
    const headers = new Map<string, string>();
    for (const line of headerLines) {
      const colon = line.indexOf(':');
      if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
    const bodyStart = headEnd + 4;
    if (status < 200) {
      offset = bodyStart; // 100 Continue and friends: the final answer follows
      continue;
    }
    if (!expectsBody || status === 204 || status === 304) return { status, headers, body: '' };
    const rest = data.subarray(bodyStart);
    if (headers.get('transfer-encoding')?.toLowerCase() === 'chunked') {
      const body = dechunk(rest);
      return body === undefined
        ? closed
          ? { status, headers, body: rest.toString('utf8') }
          : undefined
        : { status, headers, body };
    }
    const length = headers.has('content-length') ? Number(headers.get('content-length')) : undefined;
    if (length !== undefined && rest.length >= length)
      return { status, headers, body: rest.subarray(0, length).toString('utf8') };
    return closed ? { status, headers, body: rest.toString('utf8') } : undefined;
  }
}

function dechunk(data: Buffer): string | undefined {
  const parts: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const lineEnd = data.indexOf(CRLF, offset);
    if (lineEnd < 0) return undefined;
    const size = parseInt(data.subarray(offset, lineEnd).toString('latin1'), 16);
    if (Number.isNaN(size)) return undefined;
    if (size === 0) return Buffer.concat(parts).toString('utf8');
    const start = lineEnd + 2;
    if (data.length < start + size + 2) return undefined;
    parts.push(data.subarray(start, start + size));
    offset = start + size + 2;
  }
}
