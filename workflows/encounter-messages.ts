/**
 * Messages the encounter workflow accepts and answers: the hook's save signal, acknowledgements routed by the MESH
 * inbox workflow, operator decisions and the status query. Imported by the workflow and by every client.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { MeshReportClass } from '../domain/mesh-report';
import type { ConsultationSnapshot } from '../domain/snapshot';

/** Lifecycle of an encounter's reporting, as shown to operators (also the ReportStatus search attribute). */
export const REPORT_STATES = [
  'waiting-quiet-period',
  'sending',
  'awaiting-acknowledgement',
  'acknowledged',
  'not-required',
  'blocked',
  'rejected',
  'undeliverable',
  'needs-attention',
  'resolved',
  'cancelled',
] as const;
export type ReportState = (typeof REPORT_STATES)[number];

/** An ITK3 response matched to one of our messages by its MessageHeader id (parsed by the inbox workflow). */
export interface AcknowledgementReceived {
  messageHeaderId: string;
  kind: 'infrastructure' | 'business';
  code: string;
  /** Display text of the code: the receiver's words, truncated and stripped of control characters by the inbox. */
  display?: string;
  positive: boolean;
  receivedAt: string;
  /** The MESH mailbox the answer came from. */
  senderMailbox?: string;
  /** ODS code of the organisation that answered, when the answer names it. */
  responderOds?: string;
  /** The answer quotes ITK3's UNREADABLE identifier instead of our MessageHeader id (e.g. 10009). */
  unreadableOriginal?: boolean;
}

/** A MESH REPORT message about one of our sends (undelivered, GPPROVIDER routing failures…). */
export interface MeshReportReceived {
  meshMessageId: string;
  statusCode: string;
  /** Set by the inbox (domain/mesh-report.ts); signals recorded before it existed lack it and are classified on arrival. */
  classification?: MeshReportClass;
  /** The failed message's Mex-LocalID (our MessageHeader id), when MESH echoed it. */
  localId?: string;
  description?: string;
  receivedAt: string;
}

export interface OperatorAction {
  /** Who asked (an operator name or ticket), kept in history for audit. */
  requestedBy: string;
  reason?: string;
}

export interface CodeReceived {
  /** The version it answers; 0 when it matched no version this encounter knows. */
  version: number;
  source: 'itk3-infrastructure' | 'itk3-business' | 'mesh-report';
  code: string;
  positive: boolean;
  at: string;
}

/** What an operator sees. No PHI beyond the encounter id and ODS codes the caller already holds. */
export interface EncounterStatus {
  encounterId: string;
  state: ReportState;
  hostingPracticeOds: string;
  registeredPracticeOds?: string;
  latestRevision: number;
  /** Version of the latest report sent (0 before the first). */
  reportVersion: number;
  /** Composition identifier of that version: what the next version replaces. */
  lastDocumentIdentifier?: string;
  /** MessageHeader id of that version, so a later run can still match its answers. */
  lastMessageHeaderId?: string;
  /** When the workflow will act next on its own (quiet period end, ack deadline), ISO 8601. */
  nextActionTime?: string;
  /** Why the state is what it is (eligibility outcome, failure type, alert). */
  detail?: string;
  codesReceived: CodeReceived[];
  sendsSoFar: number;
  alerts: string[];
}

export const consultationSavedSignal = defineSignal<[ConsultationSnapshot]>('consultationSaved');
export const acknowledgementReceivedSignal = defineSignal<[AcknowledgementReceived]>('acknowledgementReceived');
export const meshReportReceivedSignal = defineSignal<[MeshReportReceived]>('meshReportReceived');
/** Operator commands by the name operators use for them. */
export type OperatorCommand = 'resend' | 'cancel' | 'resolve';

/** What an accepted operator command answers: the workflow applies it on its next step. */
export interface OperatorCommandAccepted {
  command: OperatorCommand;
  /** The report state when the command was accepted (it changes once the workflow acts). */
  state: ReportState;
}

/**
 * Operator commands as Updates: the validator refuses one that cannot apply (a resend while a send is in flight, a
 * cancel after the report was acknowledged, a resolve with nothing to resolve) with the reason, and the caller sees
 * the refusal. Accepted, the workflow applies the command as it would the signal of the same purpose.
 */
export const resendUpdate = defineUpdate<OperatorCommandAccepted, [OperatorAction]>('resend');
export const cancelUpdate = defineUpdate<OperatorCommandAccepted, [OperatorAction]>('cancel');
export const resolveUpdate = defineUpdate<OperatorCommandAccepted, [OperatorAction]>('resolve');

/** The signals the commands were before they became Updates: still handled, for runs started by older clients. */
export const resendNowSignal = defineSignal<[OperatorAction]>('resendNow');
export const cancelReportingSignal = defineSignal<[OperatorAction]>('cancelReporting');
export const markResolvedSignal = defineSignal<[OperatorAction]>('markResolved');
export const statusQuery = defineQuery<EncounterStatus>('status');

/** Start argument of the encounter workflow (PHI-free: the snapshot travels in the encrypted signal). */
export interface EncounterWorkflowInput {
  encounterId: string;
  hostingPracticeOds: string;
}

/** Registered workflow type name, for clients that start it by name (signalWithStart from the hook). */
export const ENCOUNTER_WORKFLOW_TYPE = 'encounterWorkflow';
