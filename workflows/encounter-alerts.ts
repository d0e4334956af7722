/**
 * The encounter's open alerts (domain/alerts.ts): one per kind, keyed by the encounter's workflow id and the kind;
 * a repeat while open counts up; each is resolved when the encounter leaves the state that raised it. Pure rules over
 * the state, so the workflow only asks which alerts to send.
 */
import { alertKey, type AlertLifecycle } from '../domain/alerts';
import type { AlertKind } from './encounter-activities';
import { encounterWorkflowId } from './encounter-identity';
import { latestVersion, reportState, type EncounterState, type ReportVersion } from './encounter-state';

export interface OpenAlert {
  key: string;
  kind: AlertKind;
  version: number;
  count: number;
}

/** A notice to send: the alert's lifecycle with the version and detail it is about. */
export interface AlertNotice extends AlertLifecycle {
  kind: AlertKind;
  version: number;
  detail: string;
}

/** Kinds of a failed send: they hold while the encounter is parked or an operator's retry is being sent. */
const SEND_PROBLEMS: ReadonlySet<AlertKind> = new Set<AlertKind>(['send-failed', 'unknown-send-outcome']);

function openAlerts(state: EncounterState): OpenAlert[] {
  return (state.openAlerts ??= []); // states carried from runs before the alert model have none
}

/** Opens the kind's alert, or counts a repeat of the one already open. */
export function noteAlert(state: EncounterState, kind: AlertKind, version: number, detail: string): AlertNotice {
  const alerts = openAlerts(state);
  const open = alerts.find((a) => a.kind === kind);
  if (open) {
    open.count += 1;
    open.version = version;
    return { key: open.key, status: 'updated', count: open.count, kind, version, detail };
  }
  const key = alertKey(encounterWorkflowId(state.encounterId), kind);
  alerts.push({ key, kind, version, count: 1 });
  return { key, status: 'open', count: 1, kind, version, detail };
}

/** Removes the open alerts whose cause has cleared and returns their resolved notices. */
export function takeCleared(state: EncounterState): AlertNotice[] {
  const alerts = openAlerts(state);
  const holding = alerts.map((a) => stillHolds(state, a));
  state.openAlerts = alerts.filter((_, i) => holding[i]);
  return alerts.filter((_, i) => !holding[i]).map((a) => resolvedNotice(a, `cleared: the encounter is now ${reportState(state)}`));
}

/** Closes one kind's alert whatever the state says (its cause is known to be gone, e.g. settings loaded again). */
export function takeKind(state: EncounterState, kind: AlertKind, reason: string): AlertNotice[] {
  const alerts = openAlerts(state);
  state.openAlerts = alerts.filter((a) => a.kind !== kind);
  return alerts.filter((a) => a.kind === kind).map((a) => resolvedNotice(a, reason));
}

/** Closes every open alert: the run ends, so nothing more will happen to them here. */
export function takeAll(state: EncounterState, reason: string): AlertNotice[] {
  const alerts = openAlerts(state);
  state.openAlerts = [];
  return alerts.map((a) => resolvedNotice(a, reason));
}

function resolvedNotice(alert: OpenAlert, detail: string): AlertNotice {
  return { key: alert.key, status: 'resolved', count: alert.count, kind: alert.kind, version: alert.version, detail };
}

/** Whether the state that raised the alert still holds. */
export function stillHolds(state: EncounterState, alert: OpenAlert): boolean {
  const current = reportState(state);
  if (current === 'resolved') return false;
  if (current === 'cancelled' && alert.kind !== 'withdrawn-after-send') return false;
  if (SEND_PROBLEMS.has(alert.kind)) return state.phase === 'needs-attention' || state.phase === 'sending';
  const latest = latestVersion(state);
  switch (alert.kind) {
    case 'rejected':
    case 'undeliverable':
      return latest ? isVersion(latest, alert) && latest.outcome === alert.kind : state.previousRunState === alert.kind;
    case 'missing-infrastructure-ack':
      return awaiting(latest, alert) && !latest?.infrastructureAck && !latest?.businessAck;
    case 'missing-business-ack':
      return awaiting(latest, alert) && !latest?.businessAck;
    case 'eligibility-blocked':
      return state.lastEligibility?.verdict === 'blocked';
    case 'spine-mismatch':
      return (latest?.spineMismatch?.length ?? 0) > 0;
    default:
      // `configuration` until the settings load (takeKind); the rest are single events an operator closes.
      return true;
  }
}

const isVersion = (v: ReportVersion, alert: OpenAlert): boolean => v.version === alert.version;
const awaiting = (v: ReportVersion | undefined, alert: OpenAlert): boolean =>
  v !== undefined && isVersion(v, alert) && v.outcome === 'awaiting-acknowledgement';
