/**
 * The JSON every sink delivers (docs/operations.md, "Alert payloads"): the alert with `source`, and the lifecycle of
 * domain/alerts.ts always present. Alerts raised without one (a single event, or a run that began before the alert
 * model) open a key of their own subject and kind.
 */
import { alertKey, mailboxSubject, practiceSubject, type AlertLifecycle } from '../../domain/alerts';
import { encounterWorkflowId } from '../../workflows/encounter-identity';
import type { AnyAlert } from './raise-alert';

export type AlertPayload = AnyAlert & AlertLifecycle & { source: 'fedreport' };

export function alertPayload(alert: AnyAlert): AlertPayload {
  return { source: 'fedreport', ...alert, key: alert.key ?? keyOf(alert), status: alert.status ?? 'open', count: alert.count ?? 1 };
}

/** Per encounter and kind; per mailbox, message and kind; a digest per practice and day. */
function keyOf(alert: AnyAlert): string {
  if ('encounterId' in alert) return alertKey(encounterWorkflowId(alert.encounterId), alert.kind);
  if ('mailbox' in alert) {
    const subject = mailboxSubject(alert.mailbox);
    return alertKey(alert.meshMessageId ? `${subject}/message-${alert.meshMessageId}` : subject, alert.kind);
  }
  const day = alert.kind === 'practice-digest' ? `/${alert.digest.composedAt.slice(0, 10)}` : '';
  return alertKey(practiceSubject(alert.practiceOds), `${alert.kind}${day}`);
}
