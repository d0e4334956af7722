/**
 * The chaos invariant, judged per encounter from the recipient side: every required report delivered exactly once per
 * version; nothing stuck without an alert. Inputs are the encounters' own statuses, their MessageHeader ids (the
 * ReportMessageIds search attribute) and the messages found in the recipients' mailboxes by local id.
 */
import type { Client } from '@temporalio/client';
import { encounterWorkflowId } from '../../workflows/encounter-identity';
import type { EncounterStatus } from '../../workflows/encounter-messages';
import type { ArchiveCheck } from './archive-ledger';
import type { PlannedConsultation } from './consultations';
import { isSettled, type VisibleEncounter } from './encounter-census';

export type EncounterOutcome =
  /** Required, acknowledged, each version in the recipient's mailbox exactly once. */
  | 'delivered'
  /** Not required (registered at the hosting practice), settled as such, nothing in any mailbox. */
  | 'not-required'
  /** Waiting for an operator with the alert recorded: allowed by the invariant, reported in the table. */
  | 'alerted'
  /** A version sent (or required) but not in the recipient's mailbox. */
  | 'lost'
  /** A version in the recipient's mailbox more than once, or a message for an encounter that needed none. */
  | 'duplicate'
  /** Not settled, or settled in a state that is no outcome, and no alert recorded. */
  | 'stuck';

export interface EncounterJudgement {
  encounterId: string;
  outcome: EncounterOutcome;
  state: string;
  reportVersion: number;
  sendsSoFar: number;
  /** Recipient-side messages per MessageHeader id of this encounter. */
  messagesPerVersion: number[];
  alerts: string[];
  detail?: string;
}

export function judgeEncounter(
  consultation: PlannedConsultation,
  status: EncounterStatus | null,
  visible: VisibleEncounter | undefined,
  messagesByLocalId: ReadonlyMap<string, number>,
): EncounterJudgement {
  const messagesPerVersion = (visible?.messageHeaderIds ?? []).map((id) => messagesByLocalId.get(id) ?? 0);
  const delivered = messagesPerVersion.filter((n) => n > 0).length;
  const base = {
    encounterId: consultation.encounterId,
    state: status?.state ?? 'no workflow',
    reportVersion: status?.reportVersion ?? 0,
    sendsSoFar: status?.sendsSoFar ?? 0,
    messagesPerVersion,
    alerts: status?.alerts ?? [],
    detail: status?.detail,
  };
  const outcome = ((): EncounterOutcome => {
    if (messagesPerVersion.some((n) => n > 1)) return 'duplicate';
    if (!consultation.reportRequired) {
      if (delivered > 0) return 'duplicate';
      return status?.state === 'not-required' ? 'not-required' : base.alerts.length > 0 ? 'alerted' : 'stuck';
    }
    // Versions the workflow counts as sent (acknowledged or awaiting) must each be in the mailbox.
    if (status && status.reportVersion > delivered && status.state !== 'needs-attention') return 'lost';
    if (status?.state === 'acknowledged' && delivered === status.reportVersion && delivered > 0) return 'delivered';
    if (status && isSettled(status.state) && base.alerts.length > 0) return 'alerted';
    return 'stuck';
  })();
  return { ...base, outcome };
}

export interface ScenarioVerdict {
  judgements: EncounterJudgement[];
  counts: Record<EncounterOutcome, number>;
  /** Messages in the recipients' mailboxes under the scenario's MessageHeader ids (a shared sandbox holds others too). */
  recipientMessages: number;
  /** What the simulator downloaded, and how many of those it answered as duplicates (ITK3 20007). */
  simulatorReceived: number;
  simulatorDuplicates: number;
  /** Each delivered report's archived copy: exactly one, completed with the MESH id it was delivered under. */
  archive: ArchiveCheck;
  passed: boolean;
}

export function scenarioVerdict(judgements: EncounterJudgement[], simulator: { received: number; duplicates: number }, archive: ArchiveCheck): ScenarioVerdict {
  const recipientMessages = judgements.reduce((sum, j) => sum + j.messagesPerVersion.reduce((a, b) => a + b, 0), 0);
  const counts: Record<EncounterOutcome, number> = { delivered: 0, 'not-required': 0, alerted: 0, lost: 0, duplicate: 0, stuck: 0 };
  for (const j of judgements) counts[j.outcome] += 1;
  const passed = counts.lost === 0 && counts.duplicate === 0 && counts.stuck === 0 && simulator.duplicates === 0 && archive.passed;
  return { judgements, counts, recipientMessages, simulatorReceived: simulator.received, simulatorDuplicates: simulator.duplicates, archive, passed };
}

/**
 * For each encounter that broke the invariant: its status and the event types of its history, the evidence a bug
 * report needs (event types, activity names and failure messages only: no payloads, so no patient data).
 */
export async function failureEvidence(client: Client, verdict: ScenarioVerdict, limit = 5): Promise<string[]> {
  const failed = verdict.judgements.filter((j) => j.outcome === 'lost' || j.outcome === 'duplicate' || j.outcome === 'stuck');
  const lines: string[] = [];
  for (const j of failed.slice(0, limit)) {
    lines.push(
      `encounter ${j.encounterId}: ${j.outcome}; state ${j.state}, reportVersion ${j.reportVersion}, sendsSoFar ${j.sendsSoFar}, ` +
        `recipient messages per version [${j.messagesPerVersion.join(', ')}], detail ${j.detail ?? '-'}, alerts ${JSON.stringify(j.alerts)}`,
    );
    const history = await client.workflow.getHandle(encounterWorkflowId(j.encounterId)).fetchHistory().catch(() => undefined);
    const events = (history?.events ?? []).map((e) => {
      const type = Object.keys(e).find((key) => key.endsWith('EventAttributes') && (e as Record<string, unknown>)[key]);
      const failure = e.activityTaskFailedEventAttributes?.failure?.message ?? e.activityTaskTimedOutEventAttributes?.failure?.message;
      const activity = e.activityTaskScheduledEventAttributes?.activityType?.name;
      // A started event is written when the attempt ends: attempt > 1 means earlier attempts were lost with a worker.
      const attempt = e.activityTaskStartedEventAttributes?.attempt;
      const note = [activity, attempt ? `attempt ${attempt}` : undefined].filter(Boolean).join(', ');
      return `${e.eventId?.toString()}:${type?.replace(/EventAttributes$/, '') ?? '?'}${note ? `(${note})` : ''}${failure ? `[${failure}]` : ''}`;
    });
    lines.push(`  history: ${events.join(' ')}`);
  }
  if (failed.length > limit) lines.push(`… and ${failed.length - limit} more`);
  return lines;
}
