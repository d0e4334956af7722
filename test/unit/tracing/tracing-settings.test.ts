/** Tracing is off unless FEDREPORT_OTEL_EXPORTER_OTLP_ENDPOINT is set, and a bad value names the setting. */
import { trace } from '@opentelemetry/api';
import { ValidationError } from '../../../domain/validation-error';
import { startTracing, tracingEndpointFromEnv } from '../../../common/tracing';

describe('tracing settings', () => {
  it('is off with the variable unset or blank: no tracer provider, spans are no-ops', async () => {
    expect(tracingEndpointFromEnv({})).toBeUndefined();
    expect(tracingEndpointFromEnv({ FEDREPORT_OTEL_EXPORTER_OTLP_ENDPOINT: '  ' })).toBeUndefined();
    const tracing = startTracing('fedreport-test', {});
    expect(tracing.enabled).toBe(false);
    const span = trace.getTracer('fedreport').startSpan('probe');
    expect(span.isRecording()).toBe(false);
    span.end();
    await tracing.shutdown();
  });

  it('takes the collector’s base URL', () => {
    expect(tracingEndpointFromEnv({ FEDREPORT_OTEL_EXPORTER_OTLP_ENDPOINT: 'http://localhost:4318' })).toBe(
      'http://localhost:4318',
    );
  });

  it('refuses a value that is not a URL, naming the variable and why', () => {
    const read = () => tracingEndpointFromEnv({ FEDREPORT_OTEL_EXPORTER_OTLP_ENDPOINT: 'localhost:4318 ' });
    expect(read).toThrow(ValidationError);
    expect(read).toThrow(
      /FEDREPORT_OTEL_EXPORTER_OTLP_ENDPOINT: must be the collector’s OTLP\/HTTP base URL/,
    );
  });
});
