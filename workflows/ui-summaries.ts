/**
 * What the Temporal UI shows for an encounter without opening its payloads: the workflow's static summary and
 * details (set when the API starts it), and the summaries of its timers and activities. They pass through the payload
 * codec like any payload, but the codec server shows them to every UI user in lists and timelines, so they carry only
 * ids, ODS codes, version numbers and fixed words, never patient data.
 */
import type { AckKind } from './ack-deadlines';

export function encounterStaticSummary(hostingPracticeOds: string): string {
  return `Encounter at ${hostingPracticeOds}`;
}

export function encounterStaticDetails(encounterId: string, hostingPracticeOds: string): string {
  return [
    `Consultation reports of encounter ${encounterId}, hosted by ${hostingPracticeOds}.`,
    'Status: the ReportStatus column or `fedreport status`; patient data only in the encrypted payloads (codec server).',
  ].join('\n');
}

export const QUIET_PERIOD_TIMER = 'quiet period';
export const IDLE_RETENTION_TIMER = 'idle retention: completes unless saved again';
export const RECONCILE_SETTLE_TIMER = 'settle before asking MESH tracking';
export const ELIGIBILITY_ACTIVITY = 'eligibility: federation rules and PDS';

export const ackDeadlineTimer = (kind: AckKind, version: number): string =>
  `${kind} ack deadline v${version}`;
export const sendReportActivity = (version: number, registeredPracticeOds: string): string =>
  `send report v${version} to ${registeredPracticeOds} over MESH`;
export const reconcileActivity = (version: number): string => `ask MESH tracking about v${version}`;
