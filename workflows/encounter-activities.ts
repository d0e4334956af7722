/**
 * What the encounter workflow needs from the outside world (ports). The worker wires adapters from activities/ that
 * satisfy this interface; workflow code imports only these types, never the implementations.
 */
import type { AlertLifecycle } from '../domain/alerts';
import type { ConsultationSnapshot } from '../domain/snapshot';
import type { ReportState } from './encounter-messages';

/** The hosting practice's settings that shape the workflow's timing and sending. */
export interface PracticeSettingsView {
  quietPeriodMs: number;
  /** Cap on the total wait from the first unreported save; null = no cap. */
  maxTotalWaitMs: number | null;
  senderMailbox: string;
  infrastructureAckWindowMs: number;
  businessAckWindowMs: number;
  /** The workflow completes after this long without activity; a later save starts a new run. */
  idleRetentionMs: number;
}

export type EligibilityVerdict =
  | {
      verdict: 'required';
      registeredPracticeOds: string;
      registeredPracticeName?: string;
      reason: string;
      /** PDS's current number when the snapshot's was superseded (and the practice sends with the current one). */
      currentNhsNumber?: string;
      /** The spine's family name and birth date: MESH verifies the GPPROVIDER address against these, not the record's. */
      addressDemographics?: { familyName: string; birthDate: string };
      spineMismatch?: SpineMismatch;
      /** Digest of the report-relevant content and addressing (domain/report-relevance.ts): equal digests, same report. */
      contentDigest?: string;
    }
  | { verdict: 'not-required'; reason: string }
  | { verdict: 'blocked'; reason: string };

/** Where the clinical record differs from the spine (field names only), and whether the practice wants an alert. */
export interface SpineMismatch {
  fields: ('family name' | 'birth date')[];
  alert: boolean;
}

/** Deterministic identity of one report version: a retry reuses it, a new version gets a new one. */
export interface ReportIdentity {
  messageHeaderId: string;
  documentIdentifier: string;
  /** Mex-LocalID: PHI-free, unique per (encounter, version); used to reconcile an unknown-outcome send. */
  localId: string;
}

export interface SendReportInput {
  snapshot: ConsultationSnapshot;
  version: number;
  firstBuiltAt: string;
  registeredPracticeOds: string;
  registeredPracticeName?: string;
  previousDocumentIdentifier?: string;
  senderMailbox: string;
  /** Replaces the snapshot's NHS number in Mex-To, the message and the PDF (superseded numbers). */
  currentNhsNumber?: string;
  /** The spine's family name and birth date for Mex-To; the document keeps the clinical record's. */
  addressDemographics?: { familyName: string; birthDate: string };
}

export type ReconciliationResult = { status: 'accepted'; meshMessageId: string } | { status: 'not-found' };

export type AlertKind =
  | 'configuration'
  | 'send-failed'
  | 'rejected'
  | 'undeliverable'
  | 'missing-infrastructure-ack'
  | 'missing-business-ack'
  | 'eligibility-blocked'
  | 'unknown-send-outcome'
  | 'unexpected-responder'
  | 'other-hosting-practice'
  | 'spine-mismatch'
  | 'withdrawn-after-send';

/** Key, status and count are absent only in alerts of runs that began before the alert model (ALERT_MODEL_PATCH). */
export interface OperatorAlert extends Partial<AlertLifecycle> {
  encounterId: string;
  hostingPracticeOds: string;
  kind: AlertKind;
  version: number;
  /** PHI-free description (codes, ODS codes, error types). */
  detail: string;
}

/** Summary of an earlier, completed run of the same encounter, so versions keep counting after retention. */
export interface PreviousRunSummary {
  latestRevision: number;
  reportVersion: number;
  lastDocumentIdentifier?: string;
  /** Absent in summaries of runs that completed before these were recorded. */
  lastMessageHeaderId?: string;
  state?: ReportState;
}

export interface EncounterActivities {
  loadPracticeSettings(hostingPracticeOds: string): Promise<PracticeSettingsView>;
  assessEligibility(input: { snapshot: ConsultationSnapshot; requestId: string }): Promise<EligibilityVerdict>;
  reportIdentity(input: { encounterId: string; version: number; firstBuiltAt: string }): Promise<ReportIdentity>;
  /** Renders, builds and POSTs the report once; an unknown outcome fails with type MeshUnknownOutcome. */
  sendReport(input: SendReportInput): Promise<{ meshMessageId: string }>;
  reconcileUnknownSend(input: { senderMailbox: string; localId: string }): Promise<ReconciliationResult>;
  raiseAlert(alert: OperatorAlert): Promise<void>;
  previousRunSummary(input: { workflowId: string; currentRunId: string }): Promise<PreviousRunSummary | null>;
}

/** Failure types the workflow tells apart (ApplicationFailure.type set by the adapters). */
export const FAILURE_TYPES = {
  unknownOutcome: 'MeshUnknownOutcome',
} as const;
