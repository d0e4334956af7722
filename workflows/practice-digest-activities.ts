/**
 * What the daily practice digest needs from the outside world (ports; adapters in activities/digest/). A digest is
 * PHI-free: counts by report state, encounter GUIDs and ODS codes.
 */
import type { AlertLifecycle, BacklogSize, OpenBacklog } from '../domain/alerts';
import type { ReportState } from './encounter-messages';

export interface PracticeDigestInput {
  practiceOds: string;
  /** Reports still awaiting acknowledgement after this many days are listed by encounter GUID. */
  unacknowledgedAfterDays: number;
  /** A backlog alert opens when more reports than this await acknowledgement past those days (absent: no alert). */
  unacknowledgedAlertAbove?: number;
}

/** The last completeness reconciliation the clinical system posted for the practice (GPCM-SD-076). */
export interface ReconciliationSummary {
  practiceOds: string;
  checkedAt: string;
  from: string;
  to: string;
  /** GUIDs the clinical system saved that have no encounter in fedreport (missed hooks), at most 1,000 kept. */
  missedEncounterIds: string[];
  missedCount: number;
}

export interface PracticeDigest {
  practiceOds: string;
  composedAt: string;
  /** Running encounters of the practice by ReportStatus (states with none are left out). */
  countsByState: Partial<Record<ReportState, number>>;
  unacknowledgedAfterDays: number;
  /** Encounter GUIDs awaiting acknowledgement for longer than that (first 100). */
  unacknowledged: string[];
  /** How many await acknowledgement for longer than that (absent in digests composed before it was counted). */
  unacknowledgedCount?: number;
  /** The backlog whose alert is open after this digest: the next digest (its schedule's next run) continues from it. */
  unacknowledgedBacklog?: OpenBacklog;
  lastReconciliation: ReconciliationSummary | null;
}

/** A practice's reports awaiting acknowledgement past the digest's days, over its threshold. PHI-free: counts. */
export interface PracticeBacklogAlert extends AlertLifecycle {
  kind: 'unacknowledged-backlog';
  practiceOds: string;
  detail: string;
  backlog: BacklogSize;
}

export interface PracticeDigestActivities {
  composePracticeDigest(input: PracticeDigestInput): Promise<PracticeDigest>;
  /** To the operator alert sinks (log, webhook), as a `practice-digest` alert. */
  deliverPracticeDigest(digest: PracticeDigest): Promise<void>;
  raisePracticeAlert(alert: PracticeBacklogAlert): Promise<void>;
  /** The backlog whose alert the schedule's previous digest left open (null: none, or no earlier digest). */
  previousUnacknowledgedBacklog(input: { practiceOds: string }): Promise<OpenBacklog | null>;
}
