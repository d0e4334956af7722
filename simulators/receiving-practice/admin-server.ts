/**
 * The simulator's admin endpoint: counters to read and the behaviour to change while it runs. Plain node:http (no
 * framework for four routes); JSON in and out; bound to loopback by default, since it has no authentication.
 *
 *   GET /health      {"status":"ok"}
 *   GET /stats       SimulatorStats
 *   GET /behaviour   {"default": ResponsePolicy, "patientRules": n}  (per-patient rules are counted, never listed)
 *   PUT /behaviour   SimulatorBehaviour (replaces the whole behaviour) → as GET
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { ValidationError, type FieldIssue } from '../../domain/validation-error';
import { listen, type ListeningServer } from '../http-server';
import type { ResolvedBehaviour } from './response-policy';
import type { SimulatorStats } from './stats';

/** A behaviour with thousands of per-patient rules still fits; anything bigger is a mistake. */
const MAX_BODY_BYTES = 1024 * 1024;

export interface AdminServerOptions {
  host: string;
  /** 0: the OS picks a free port. */
  port: number;
  stats: () => SimulatorStats;
  behaviour: () => ResolvedBehaviour;
  /** Validates and replaces the behaviour; throws ValidationError naming each field. */
  setBehaviour: (input: unknown) => void;
}

export type AdminServer = ListeningServer;

interface Answer {
  status: number;
  body: object;
  headers?: Record<string, string>;
}

const ROUTES: Record<string, string[]> = {
  '/health': ['GET'],
  '/stats': ['GET'],
  '/behaviour': ['GET', 'PUT'],
};

export async function startAdminServer(options: AdminServerOptions): Promise<AdminServer> {
  const behaviourSummary = (): object => {
    const behaviour = options.behaviour();
    return { default: behaviour.default, patientRules: behaviour.patients.size };
  };

  async function answer(request: IncomingMessage): Promise<Answer> {
    const { pathname } = new URL(request.url ?? '/', 'http://admin');
    const method = request.method ?? 'GET';
    const allowed = ROUTES[pathname];
    if (!allowed) return { status: 404, body: { error: `no route ${pathname}` } };
    if (!allowed.includes(method)) {
      return {
        status: 405,
        body: { error: `${method} not allowed` },
        headers: { allow: allowed.join(', ') },
      };
    }
    if (pathname === '/health') return { status: 200, body: { status: 'ok' } };
    if (pathname === '/stats') return { status: 200, body: options.stats() };
    if (method === 'GET') return { status: 200, body: behaviourSummary() };

    if (!/^application\/json\b/i.test(request.headers['content-type'] ?? '')) {
      return { status: 415, body: { error: 'content-type must be application/json' } };
    }
    const raw = await readBody(request);
    if (raw === null) {
      // The rest of the body is not read: close the connection rather than reuse it.
      return {
        status: 413,
        body: { error: `body larger than ${MAX_BODY_BYTES} bytes` },
        headers: { connection: 'close' },
      };
    }
    let input: unknown;
    try {
      input = JSON.parse(raw);
    } catch {
      return {
        status: 400,
        body: { error: 'body is not JSON', issues: [{ field: '(body)', reason: 'not JSON' }] },
      };
    }
    try {
      options.setBehaviour(input);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const issues: FieldIssue[] = error.issues;
      return { status: 422, body: { error: error.message, issues } };
    }
    return { status: 200, body: behaviourSummary() };
  }

  const server = http.createServer((request: IncomingMessage, response: ServerResponse) => {
    answer(request).then(
      (result) => send(response, result),
      (error: unknown) =>
        send(response, {
          status: 500,
          body: { error: error instanceof Error ? error.message : 'internal error' },
        }),
    );
  });
  return listen(server, options.port, options.host);
}

/** The body as text, or null once it passes MAX_BODY_BYTES (the rest is not read). */
async function readBody(request: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function send(response: ServerResponse, answer: Answer): void {
  const body = JSON.stringify(answer.body);
  response.writeHead(answer.status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    ...answer.headers,
  });
  response.end(body);
}
