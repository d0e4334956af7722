/**
 * Acknowledgement deadlines: after a version is sent, the infrastructure ack must arrive within the practice's
 * window and the business ack within its own; a missed one is recorded once on the version and reported through
 * `onMissed`. One watcher per sent version runs beside the main loop (restarted after continue-as-new).
 */
import { condition, log } from '@temporalio/workflow';
import type { PracticeSettingsView } from './encounter-activities';
import { versionIsSettled, type ReportVersion } from './encounter-state';
import { ackDeadlineTimer } from './ui-summaries';

export type AckKind = 'infrastructure' | 'business';

export type MissedAckHandler = (v: ReportVersion, kind: AckKind, windowMs: number) => Promise<void>;

function arrived(v: ReportVersion, kind: AckKind): boolean {
  if (versionIsSettled(v)) return true;
  return kind === 'infrastructure' ? v.infrastructureAck !== undefined || v.businessAck !== undefined : v.businessAck !== undefined;
}

export class AckDeadlines {
  private readonly watched = new Set<number>();

  constructor(private readonly onMissed: MissedAckHandler) {}

  /** Starts watching a sent version unless it is watched already. */
  watch(v: ReportVersion, settings: PracticeSettingsView): void {
    if (this.watched.has(v.version)) return;
    this.watched.add(v.version);
    void this.run(v, settings)
      .catch((error: unknown) => log.error('acknowledgement watcher failed', { error: String(error) }))
      .finally(() => this.watched.delete(v.version));
  }

  private async run(v: ReportVersion, settings: PracticeSettingsView): Promise<void> {
    const sentAt = Date.parse(v.sentAt ?? new Date(Date.now()).toISOString());
    const windows: [AckKind, number][] = [
      ['infrastructure', settings.infrastructureAckWindowMs],
      ['business', settings.businessAckWindowMs],
    ];
    for (const [kind, windowMs] of windows) {
      if (v.missingAckAlerts.includes(kind)) continue;
      const received = await condition(() => arrived(v, kind), Math.max(1, sentAt + windowMs - Date.now()), {
        summary: ackDeadlineTimer(kind, v.version),
      });
      if (versionIsSettled(v)) return;
      if (!received && !v.missingAckAlerts.includes(kind)) {
        v.missingAckAlerts.push(kind);
        await this.onMissed(v, kind, windowMs);
      }
    }
  }
}
