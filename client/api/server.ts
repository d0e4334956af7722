/**
 * The HTTP hook for clinical systems. zod (the contracts in domain/) is the only validator; fastify contributes
 * routing, the body size limit, JSON parsing and content-type negotiation. Check order, each rejection starting or
 * changing nothing: credentials (before the body is read) → content type → size → JSON syntax → path → body → the
 * route's own checks (encounter-routes.ts, reconciliation-routes.ts).
 */
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Client } from '@temporalio/client';
import fastify, { type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { createLogger } from '../../common/logger';
import type { ArchiveRepository } from '../../integrations/store/archive-repository';
import type { ReceivedDocumentQueries } from '../../integrations/store/received-document-queries';
import { DEFAULT_MAX_SNAPSHOT_BYTES } from '../encounters';
import { authenticationHook, type ApiAuth, type RouteAccess } from './auth';
import { DEFAULT_API_RATE_LIMIT, registerRateLimit, type ApiRateLimit } from './rate-limit';
import { DEFAULT_API_TIMEOUTS, fastifyTimeouts, nodeServerTimeouts, type ApiTimeouts } from './timeouts';
import { registerArchiveRoutes } from './archive-routes';
import { registerDocumentRoutes } from './document-routes';
import { registerEncounterRoutes } from './encounter-routes';
import { ApiRejection, errorHandler, notFoundHandler } from './errors';
import { buildOpenApiDocument } from './openapi';
import { registerReconciliationRoutes } from './reconciliation-routes';
import { registerRequestSpans } from './request-spans';

export const DEFAULT_BODY_LIMIT_BYTES = 10 * 1024 * 1024;

export interface ApiTls {
  /** PEM server certificate (chain) and key. */
  cert: Buffer;
  key: Buffer;
  /** PEM CA bundle that signs accepted client certificates; required for mutual TLS. */
  clientCa?: Buffer;
  /** PEM certificate revocation list(s) of the client CA: a revoked client certificate gets a 401. */
  crl?: Buffer;
}

export interface ApiOptions {
  /** Temporal client with the fedreport data converter (see common/temporal-connection.ts connectClient). */
  client: Client;
  /** The archive database (issue 17): stored attachments and the archive routes read and write it. */
  archive: ArchiveRepository;
  /** The documents fedreport received for the practices (issue 18); without it the document routes are not served. */
  documents?: ReceivedDocumentQueries;
  auth: ApiAuth;
  /** Serve HTTPS (required for mutual TLS; otherwise terminate TLS in front of the API or stay on loopback). */
  tls?: ApiTls;
  /** Largest accepted body; snapshots carry base64 attachments. 10 MiB by default. */
  bodyLimitBytes?: number;
  /** Largest snapshot accepted, encoded as Temporal stores it (client/encounters.ts). 1.5 MiB by default. */
  maxSnapshotBytes?: number;
  logger?: Logger;
  /** Bound on each Temporal call a request makes (submit, status query, readiness check). 10 s by default. */
  temporalTimeoutMs?: number;
  /** How long a caller may take (client/api/timeouts.ts). */
  timeouts?: ApiTimeouts;
  /** Requests per credential and window (client/api/rate-limit.ts). */
  rateLimit?: ApiRateLimit;
  /** A server span per request (common/tracing.ts); give the client the tracing interceptor too. Off by default. */
  tracing?: boolean;
}

const PUBLIC: { config: RouteAccess } = { config: { public: true } };

export function buildApi(options: ApiOptions): FastifyInstance {
  if (options.auth.mode === 'mtls' && !options.tls?.clientCa) {
    throw new Error('mutual TLS authentication needs tls.cert, tls.key and tls.clientCa');
  }
  const bodyLimit = options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  const timeoutMs = options.temporalTimeoutMs ?? 10_000;
  const { client } = options;
  const timeouts = options.timeouts ?? DEFAULT_API_TIMEOUTS;
  const app = fastify({
    ...fastifyTimeouts(timeouts),
    loggerInstance: options.logger ?? createLogger('fedreport-api'),
    bodyLimit,
    // The JSON parser refuses __proto__ and constructor.prototype keys (prototype poisoning) with a 400.
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    // Rejections the router raises itself (malformed percent-encoding, an over-long path segment) take the shared
    // shape too; fastify's default answer quotes the path back.
    frameworkErrors: (error, request, reply) => void errorHandler(bodyLimit)(error, request, reply),
    // What Node's HTTP parser refuses never reaches a route: answer it in the shared shape as well.
    clientErrorHandler: answerUnparsableRequest,
    // Node answers a missing Host with a bare 400 of its own; the onRequest hook below answers it in the shared shape.
    http: { requireHostHeader: false, ...nodeServerTimeouts(timeouts) },
    ...(options.tls && {
      https: {
        cert: options.tls.cert,
        key: options.tls.key,
        requireHostHeader: false,
        ...nodeServerTimeouts(timeouts),
        ...(options.auth.mode === 'mtls' && {
          ca: options.tls.clientCa,
          ...(options.tls.crl && { crl: options.tls.crl }),
          requestCert: true,
          // The handshake completes without a valid certificate so the caller gets a 401 that says why.
          rejectUnauthorized: false,
        }),
      },
    }),
  }) as unknown as FastifyInstance; // the https variant differs only in its raw server type, which no route uses

  // JSON is the only body type: without the text/plain parser, anything else is a 415 before it is read.
  app.removeContentTypeParser('text/plain');
  // First, so the span covers every later hook and its onRoute wrapper sees every route.
  if (options.tracing) registerRequestSpans(app);
  app.addHook('onRequest', (request, _reply, done) => {
    if (request.raw.httpVersion === '1.1' && request.headers.host === undefined) {
      throw new ApiRejection(400, 'invalid_request', 'the request has no Host header', [
        { field: 'Host', reason: 'is required in HTTP/1.1' },
      ]);
    }
    done();
  });
  app.addHook('onRequest', authenticationHook(options.auth));
  // Added after the authentication hook, so it runs after it: only a known credential has a budget.
  registerRateLimit(app, options.rateLimit ?? DEFAULT_API_RATE_LIMIT);
  // Node answers an Expect it does not know with a bare 417; answer in the shared shape.
  app.server.on('checkExpectation', (_request: IncomingMessage, response: ServerResponse) => {
    const body = JSON.stringify(
      new ApiRejection(417, 'invalid_request', 'the request expects what this service does not do', [
        { field: 'Expect', reason: 'must be 100-continue or absent' },
      ]).body(),
    );
    response
      .writeHead(417, { 'content-type': 'application/json; charset=utf-8', connection: 'close' })
      .end(body);
  });
  app.setErrorHandler(errorHandler(bodyLimit));
  app.setNotFoundHandler(notFoundHandler);

  const openApiDocument = buildOpenApiDocument(options.auth.mode);
  const routeContext = {
    client,
    timeoutMs,
    maxSnapshotBytes: options.maxSnapshotBytes ?? DEFAULT_MAX_SNAPSHOT_BYTES,
    attachments: options.archive,
  };
  registerEncounterRoutes(app, routeContext);
  registerReconciliationRoutes(app, routeContext);
  registerArchiveRoutes(app, options.archive);
  if (options.documents) registerDocumentRoutes(app, { client, timeoutMs, documents: options.documents });

  app.get('/health', PUBLIC, (_request, reply) => reply.send({ status: 'ok' }));

  // Ready = the frontend answers and the namespace exists (a wrong namespace would fail every submission).
  app.get('/ready', PUBLIC, async (_request, reply) => {
    try {
      await client.withDeadline(Date.now() + timeoutMs, () =>
        client.workflowService.describeNamespace({ namespace: client.options.namespace }),
      );
      return reply.send({ status: 'ready' });
    } catch {
      return reply.code(503).send({
        status: 'unavailable',
        reason: `Temporal is unreachable or has no namespace "${client.options.namespace}"`,
      });
    }
  });

  app.get('/openapi.json', PUBLIC, (_request, reply) => reply.send(openApiDocument));

  return app;
}

/** fastify's clientErrorHandler: a request Node's HTTP parser refused, answered in the shared shape, then closed. */
function answerUnparsableRequest(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const rejection =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? new ApiRejection(431, 'invalid_request', 'the request headers are too large', [
          { field: 'headers', reason: 'must be at most 16 KiB together' },
        ])
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? new ApiRejection(408, 'invalid_request', 'the request took too long to arrive', [
            { field: 'request', reason: 'was not received in time' },
          ])
        : new ApiRejection(400, 'invalid_request', 'the request is not valid HTTP/1.1', [
            { field: 'request', reason: `is not valid HTTP/1.1 (${error.code ?? 'unparsable'})` },
          ]);
  const body = JSON.stringify(rejection.body());
  socket.end(
    `HTTP/1.1 ${rejection.statusCode} ${STATUS_CODES[rejection.statusCode]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
