/**
 * The router's connection to mesh-sandbox (undici, pooled): requests go on with their method, path, query, headers
 * (authentication included) and body, and answers come back as they are: status, headers, bytes. Only hop-by-hop
 * headers, which describe one connection and not the message, are dropped.
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { Pool, type Dispatcher } from 'undici';

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'te',
  'trailer',
  'host',
  'expect',
]);

/** A buffered answer, for the sends the router must read before answering. */
export interface UpstreamAnswer {
  statusCode: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface Upstream {
  /** Streams the request to mesh-sandbox and its answer back to the client. */
  pipe(request: IncomingMessage, response: ServerResponse): Promise<void>;
  /** Sends the request with some headers replaced and returns the answer, read in full. */
  exchange(request: IncomingMessage, headerOverrides?: Record<string, string>): Promise<UpstreamAnswer>;
  close(): Promise<void>;
}

export function createUpstream(sandboxUrl: string): Upstream {
  const pool = new Pool(new URL(sandboxUrl).origin);
  const send = (
    request: IncomingMessage,
    overrides: Record<string, string> = {},
  ): Promise<Dispatcher.ResponseData> =>
    pool.request({
      path: request.url ?? '/',
      method: request.method ?? 'GET',
      headers: { ...connectionFree(request.headers), ...overrides },
      body: request.method === 'GET' || request.method === 'HEAD' ? null : request,
    });
  return {
    async pipe(request, response) {
      const answer = await send(request);
      response.writeHead(answer.statusCode, connectionFree(answer.headers));
      await pipeline(answer.body, response);
    },
    async exchange(request, overrides) {
      const answer = await send(request, overrides);
      const body = Buffer.from(await answer.body.arrayBuffer());
      return { statusCode: answer.statusCode, headers: connectionFree(answer.headers), body };
    },
    close: () => pool.close(),
  };
}

/** Writes a buffered answer back to the client unchanged. */
export function writeAnswer(response: ServerResponse, answer: UpstreamAnswer): void {
  response.writeHead(answer.statusCode, answer.headers);
  response.end(answer.body);
}

function connectionFree(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name.toLowerCase())));
}
