/**
 * Operator alerts through one activity with pluggable sinks: a structured log line always, and a webhook
 * (chat, paging, ticketing) when configured. Alerts are PHI-free by construction (codes, ODS codes, GUIDs).
 */
import { Context } from '@temporalio/activity';
import type { Logger } from 'pino';
import { fetchRefusingRedirects } from '../../common/outbound-http';
import type { AlertLifecycle } from '../../domain/alerts';
import { alertPayload } from './alert-payload';
import type { EncounterActivities, OperatorAlert } from '../../workflows/encounter-activities';
import type { InboxAlert } from '../../workflows/mesh-inbox-activities';
import type { PracticeBacklogAlert, PracticeDigest } from '../../workflows/practice-digest-activities';
import type { UnfiledDocumentAlert } from '../../workflows/received-message-activities';

/** A practice's daily digest (workflows/practice-digest-workflow.ts), delivered like an alert. */
export interface PracticeDigestAlert extends Partial<AlertLifecycle> {
  kind: 'practice-digest';
  practiceOds: string;
  detail: string;
  digest: PracticeDigest;
}

/**
 * About an encounter, a MESH mailbox (the inbox), a practice (its day's digest, its unacknowledged backlog), or a
 * received document that waits unfiled.
 */
export type AnyAlert =
  | OperatorAlert
  | InboxAlert
  | PracticeDigestAlert
  | PracticeBacklogAlert
  | UnfiledDocumentAlert;

export interface AlertSink {
  deliver(alert: AnyAlert): Promise<void>;
}

export function logAlertSink(logger: Logger): AlertSink {
  return {
    deliver: (alert) => {
      const payload = alertPayload(alert);
      logger.warn({ alert: payload }, `operator alert: ${alert.kind} ${payload.status}`);
      return Promise.resolve();
    },
  };
}

/**
 * POSTs the alert as JSON, never following a redirect; a failure throws, so the activity retries and the alert is
 * not lost.
 */
export function webhookAlertSink(url: string, timeoutMs = 10_000): AlertSink {
  return {
    deliver: async (alert) => {
      const response = await fetchRefusingRedirects(
        url,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(alertPayload(alert)),
          signal: AbortSignal.timeout(timeoutMs),
        },
        'the alert webhook (FEDREPORT_ALERT_WEBHOOK_URL)',
      );
      await response.arrayBuffer();
      if (!response.ok) throw new Error(`alert webhook answered HTTP ${response.status}`);
    },
  };
}

export function createAlertActivities(sinks: AlertSink[]): Pick<EncounterActivities, 'raiseAlert'> {
  return { raiseAlert: (alert) => deliverAlert(sinks, alert) };
}

/** Every sink in turn (a failure throws: the activity retries), then the `fedreport_alerts{kind,status}` metric. */
export async function deliverAlert(sinks: AlertSink[], alert: AnyAlert): Promise<void> {
  for (const sink of sinks) await sink.deliver(alert);
  Context.current()
    .metricMeter.createCounter('fedreport_alerts', 'alerts', 'Operator alerts raised')
    .withTags({ kind: alert.kind, status: alert.status ?? 'open' })
    .add(1);
}
