/**
 * Spans around outbound calls, through the OpenTelemetry API only: with no tracer provider installed (tracing off,
 * common/tracing.ts) they are no-ops.
 */
import { SpanKind, SpanStatusCode, trace, type Attributes } from '@opentelemetry/api';

/** The tracer fedreport's own spans (API requests, PDS and MESH calls) come from. */
export const TRACER_NAME = 'fedreport';

/**
 * Runs `call` in a client span (an outbound HTTP call to PDS or MESH). `name` and `attributes` must be free of PHI:
 * an operation name, never a URL (PDS URLs carry the NHS number).
 */
export async function tracedCall<T>(
  name: string,
  attributes: Attributes,
  call: () => Promise<T>,
): Promise<T> {
  return trace
    .getTracer(TRACER_NAME)
    .startActiveSpan(name, { kind: SpanKind.CLIENT, attributes }, async (span) => {
      try {
        return await call();
      } catch (error) {
        // The error's class only: messages may quote what a remote party answered.
        span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).name });
        throw error;
      } finally {
        span.end();
      }
    });
}
