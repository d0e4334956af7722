import http from 'node:http';
import type net from 'node:net';

/**
 * What the proxy does to a matching request instead of simply passing it on:
 * - reset-before-body: resets the connection as soon as the request line and headers arrive; nothing is forwarded;
 * - reset-after-body: forwards the request, lets the server answer, then resets instead of relaying the answer;
 * - status: answers itself with this status (e.g. 503, 429 + Retry-After); nothing is forwarded;
 * - stall: reads the request and never answers; nothing is forwarded.
 * Refused connections are not a per-request fault: see refuseConnections().
 */
export type Fault =
  | { kind: 'reset-before-body' }
  | { kind: 'reset-after-body' }
  | { kind: 'status'; status: number; headers?: Record<string, string> }
  | { kind: 'stall' };

export interface FaultMatch {
  method?: string;
  /** Tested against the path and query. */
  path?: RegExp;
  /** How many matching requests get the fault (default 1). */
  times?: number;
}

export interface ProxiedRequest {
  method: string;
  path: string;
  authorization?: string;
  fault?: Fault['kind'];
}

interface Rule {
  fault: Fault;
  method?: string;
  path?: RegExp;
  remaining: number;
}

/**
 * A fault-injecting HTTP proxy on 127.0.0.1 in front of a real server (mesh-sandbox): the MESH client under test talks
 * to it over real sockets and meets real resets, stalls and error answers. Every request it saw is recorded.
 */
export class FaultProxy {
  readonly requests: ProxiedRequest[] = [];
  private readonly rules: Rule[] = [];
  private readonly sockets = new Set<net.Socket>();
  private readonly server: http.Server;
  private port = 0;

  private constructor(private readonly upstream: URL) {
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch(() => req.socket.destroy());
    });
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  static async start(upstreamUrl: string): Promise<FaultProxy> {
    const proxy = new FaultProxy(new URL(upstreamUrl));
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    proxy.port = (proxy.server.address() as net.AddressInfo).port;
    return proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  inject(fault: Fault, match: FaultMatch = {}): void {
    this.rules.push({ fault, method: match.method, path: match.path, remaining: match.times ?? 1 });
  }

  /** Requests seen with this method whose path matches. */
  count(method: string, path: RegExp): number {
    return this.requests.filter((r) => r.method === method && path.test(r.path)).length;
  }

  /** Stops listening and drops open connections: new connections are refused (ECONNREFUSED) until acceptConnections. */
  refuseConnections(): void {
    this.server.close();
    this.dropConnections();
  }

  /** Listens on the same port again. The bind is synchronous, so the next connection attempt already succeeds. */
  acceptConnections(): void {
    this.server.listen(this.port, '127.0.0.1');
  }

  async close(): Promise<void> {
    this.dropConnections();
    if (this.server.listening) await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private dropConnections(): void {
    for (const socket of this.sockets) socket.destroy();
  }

  private takeFault(method: string, path: string): Fault | undefined {
    const rule = this.rules.find(
      (r) => r.remaining > 0 && (!r.method || r.method === method) && (!r.path || r.path.test(path)),
    );
    if (!rule) return undefined;
    rule.remaining -= 1;
    return rule.fault;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';
    const fault = this.takeFault(method, path);
    this.requests.push({ method, path, authorization: req.headers.authorization, fault: fault?.kind });

    if (fault?.kind === 'reset-before-body') {
      req.socket.resetAndDestroy();
      return;
    }
    const body = await readBody(req);
    if (fault?.kind === 'stall') return; // the client's read timeout ends it
    if (fault?.kind === 'status') {
      res.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers });
      res.end(JSON.stringify({ detail: [{ event: '', code: '', msg: `injected ${fault.status}` }] }));
      return;
    }
    const answer = await this.forward(req, body);
    if (fault?.kind === 'reset-after-body') {
      req.socket.resetAndDestroy();
      return;
    }
    res.writeHead(answer.status, {
      ...withoutFraming(answer.headers),
      'content-length': String(answer.body.length),
    });
    res.end(answer.body);
  }

  private forward(
    req: http.IncomingMessage,
    body: Buffer,
  ): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
    return new Promise((resolve, reject) => {
      const upstreamRequest = http.request(
        {
          host: this.upstream.hostname,
          port: this.upstream.port,
          method: req.method,
          path: req.url,
          headers: {
            ...withoutFraming(req.headers),
            host: this.upstream.host,
            'content-length': String(body.length),
          },
        },
        (upstreamResponse) => {
          void readBody(upstreamResponse).then(
            (answer) =>
              resolve({
                status: upstreamResponse.statusCode ?? 502,
                headers: upstreamResponse.headers,
                body: answer,
              }),
            reject,
          );
        },
      );
      upstreamRequest.on('error', reject);
      upstreamRequest.end(body);
    });
  }
}

/** Bodies are relayed whole, so the hop's own framing headers are recomputed. */
function withoutFraming(headers: http.IncomingHttpHeaders): http.IncomingHttpHeaders {
  const {
    'transfer-encoding': _te,
    'content-length': _cl,
    connection: _c,
    'keep-alive': _ka,
    ...rest
  } = headers;
  return rest;
}

function readBody(stream: NodeJS.ReadableStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}
