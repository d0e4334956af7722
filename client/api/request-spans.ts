/**
 * A server span per API request, named by method and route pattern (`POST /v1/encounters/:encounterId/events`),
 * never by the URL or body. The route handler runs inside it, so the Temporal client interceptor's signal-with-start
 * span (and through its headers the workflow's) joins the request's trace. Registered only when tracing is on.
 */
import { SpanKind, SpanStatusCode, context, trace, type Span } from '@opentelemetry/api';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { TRACER_NAME } from '../../common/traced-call';

export function registerRequestSpans(app: FastifyInstance): void {
  const tracer = trace.getTracer(TRACER_NAME);
  const spans = new WeakMap<FastifyRequest, Span>();
  app.addHook('onRequest', (request, _reply, done) => {
    const route = request.routeOptions.url ?? '(no route)';
    const span = tracer.startSpan(`${request.method} ${route}`, {
      kind: SpanKind.SERVER,
      attributes: { 'http.request.method': request.method, 'http.route': route },
    });
    spans.set(request, span);
    done();
  });
  // The body is read between onRequest and the handler on the socket's own async context, so the span is made
  // active around the handler itself rather than from the onRequest hook.
  app.addHook('onRoute', (route) => {
    const handler = route.handler;
    route.handler = function tracedHandler(this: unknown, request, reply) {
      const span = spans.get(request);
      const run = () => handler.call(this as never, request, reply);
      return span ? context.with(trace.setSpan(context.active(), span), run) : run();
    };
  });
  app.addHook('onResponse', (request, reply, done) => {
    const span = spans.get(request);
    span?.setAttribute('http.response.status_code', reply.statusCode);
    if (reply.statusCode >= 500) span?.setStatus({ code: SpanStatusCode.ERROR });
    span?.end();
    done();
  });
}
