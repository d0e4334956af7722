/**
 * The worker's part of tracing (common/tracing.ts). The worker's workflow bundle always holds the workflow
 * interceptors (bundle.ts), so one prebuilt bundle serves with tracing on or off; their spans leave the sandbox
 * through the `exporter` sink registered here, which drops them when tracing is off. Activity spans, which continue the
 * workflow's trace into the PDS and MESH calls, are made only when tracing is on.
 */
import type { WorkerOptions } from '@temporalio/worker';
import {
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
  makeWorkflowExporter,
} from '@temporalio/interceptors-opentelemetry/lib/worker';
import { tracingOff, type Tracing } from '../common/tracing';

/** The workflow interceptors the bundle includes: the package's own module. */
export const WORKFLOW_TRACING_INTERCEPTORS =
  require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors');

export function workerTracingOptions(
  tracing: Tracing | undefined,
): Pick<WorkerOptions, 'sinks' | 'interceptors'> {
  const { enabled, spanProcessor, resource } = tracing ?? tracingOff('fedreport-worker');
  return {
    sinks: { exporter: makeWorkflowExporter(spanProcessor, resource) },
    ...(enabled && {
      interceptors: {
        activity: [
          (ctx) => ({
            inbound: new OpenTelemetryActivityInboundInterceptor(ctx),
            outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
          }),
        ],
      },
    }),
  };
}
