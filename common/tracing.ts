/**
 * OpenTelemetry tracing, off unless FEDREPORT_OTEL_EXPORTER_OTLP_ENDPOINT names an OTLP/HTTP collector. When on, a
 * tracer provider is installed globally, so the Temporal interceptors (client, workflow, activity), the API's request
 * span and the PDS and MESH call spans (`tracedCall`) all join one trace. When off, nothing is installed and the
 * OpenTelemetry API answers with no-op spans. Span names and attributes carry ids, ODS codes and operation names only
 * (docs/operations.md, Tracing).
 */
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor, NoopSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { z } from 'zod';
import { ValidationError, fieldIssuesFromZod } from '../domain/validation-error';
import { optionalText } from './env-fields';

const ENDPOINT_REASON = 'must be the collector’s OTLP/HTTP base URL, e.g. http://localhost:4318';

const tracingEnvSchema = z.object({
  FEDREPORT_OTEL_EXPORTER_OTLP_ENDPOINT: optionalText.pipe(
    z
      .string()
      .url(ENDPOINT_REASON)
      .refine((url) => /^https?:\/\//i.test(url), ENDPOINT_REASON)
      .optional(),
  ),
});

/** The collector's base URL (spans go to `<endpoint>/v1/traces`), or undefined: tracing off. */
export function tracingEndpointFromEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const result = tracingEnvSchema.safeParse(env);
  if (!result.success) throw new ValidationError('tracing settings', fieldIssuesFromZod(result.error));
  return result.data.FEDREPORT_OTEL_EXPORTER_OTLP_ENDPOINT;
}

export interface Tracing {
  enabled: boolean;
  /** Where finished spans go; workflow spans reach it through the worker's `exporter` sink. */
  spanProcessor: SpanProcessor;
  resource: Resource;
  /** Flushes and stops exporting (process shutdown). */
  shutdown(): Promise<void>;
}

/** Tracing for a process: the OTLP exporter when an endpoint is set, else off (no provider, no exporter). */
export function startTracing(serviceName: string, env: NodeJS.ProcessEnv = process.env): Tracing {
  const endpoint = tracingEndpointFromEnv(env);
  if (endpoint === undefined) return tracingOff(serviceName);
  const url = `${endpoint.replace(/\/+$/, '')}/v1/traces`;
  return installTracing(serviceName, new BatchSpanProcessor(new OTLPTraceExporter({ url })));
}

/** Installs a global tracer provider sending finished spans to `spanProcessor` (tests pass an in-memory one). */
export function installTracing(serviceName: string, spanProcessor: SpanProcessor): Tracing {
  const resource = new Resource({ 'service.name': serviceName });
  const provider = new NodeTracerProvider({ resource, spanProcessors: [spanProcessor] });
  provider.register();
  return { enabled: true, spanProcessor, resource, shutdown: () => provider.shutdown() };
}

/** No provider and no exporter: the OpenTelemetry API's spans are no-ops and workflow spans are dropped. */
export function tracingOff(serviceName: string): Tracing {
  const resource = new Resource({ 'service.name': serviceName });
  return {
    enabled: false,
    spanProcessor: new NoopSpanProcessor(),
    resource,
    shutdown: () => Promise.resolve(),
  };
}
