/**
 * The encounter workflow's state and the pure rules that change it: which saves count, how acknowledgements and
 * MESH reports move a sent version, and what an operator sees. No Temporal calls here, so it is unit-testable.
 */
import { classifyMeshReport, MESH_REPORT_CLASS_TEXT, type MeshReportClass } from '../domain/mesh-report';
import type { ConsultationSnapshot } from '../domain/snapshot';
import type { Withdrawal } from '../domain/withdrawal';
import type { EligibilityVerdict, ReportIdentity } from './encounter-activities';
import type {
  AcknowledgementReceived,
  CodeReceived,
  EncounterStatus,
  MeshReportReceived,
  ReportState,
} from './encounter-messages';
import type { PendingSaves } from '../domain/quiet-period';
import type { OpenAlert } from './encounter-alerts';

export type VersionOutcome = 'sending' | 'awaiting-acknowledgement' | 'acknowledged' | 'rejected' | 'undeliverable' | 'abandoned';

/** One report version: its identity is fixed at first build so every retry resends the same ids and bytes. */
export interface ReportVersion {
  version: number;
  revision: number;
  firstBuiltAt: string;
  identity: ReportIdentity;
  registeredPracticeOds: string;
  registeredPracticeName?: string;
  currentNhsNumber?: string;
  previousDocumentIdentifier?: string;
  meshMessageId?: string;
  sentAt?: string;
  infrastructureAck?: { code: string; positive: boolean };
  businessAck?: { code: string; positive: boolean };
  meshReportCode?: string;
  /** What the MESH REPORT's code means (domain/mesh-report.ts). */
  meshReportClass?: MeshReportClass;
  outcome: VersionOutcome;
  /** Digest of what the version carries (domain/report-relevance.ts); absent for versions built before it existed. */
  contentDigest?: string;
  /** The spine's name and birth date its MESH address uses. */
  addressDemographics?: { familyName: string; birthDate: string };
  /** Which of the record's fields differ from the spine's, said in the status. */
  spineMismatch?: ('family name' | 'birth date')[];
  /** Ack windows already alerted on, so a replay or continue-as-new never alerts twice. */
  missingAckAlerts: ('infrastructure' | 'business')[];
}

/** Where the current cycle (last fire) ended, when no version decides the status. */
export type CycleOutcome = 'not-required' | 'blocked' | 'cancelled' | 'resolved' | 'sent' | 'superseded' | 'unchanged';

/** Cycles whose outcome the latest version speaks for (the status is that version's). */
const VERSION_DECIDES: ReadonlySet<CycleOutcome> = new Set<CycleOutcome>(['sent', 'superseded', 'unchanged']);

export interface EncounterState {
  encounterId: string;
  hostingPracticeOds: string;
  latest?: ConsultationSnapshot;
  latestRevision: number;
  /** Saves not reported yet; undefined when nothing is waiting. */
  pending?: PendingSaves;
  /** Increments with every accepted save: a change restarts the quiet period. */
  saveCount: number;
  versions: ReportVersion[];
  phase: 'idle' | 'waiting' | 'sending' | 'needs-attention';
  cycleOutcome?: CycleOutcome;
  detail?: string;
  lastEligibility?: EligibilityVerdict;
  codesReceived: CodeReceived[];
  sendsSoFar: number;
  alerts: string[];
  /** The alerts open now, one per kind (encounter-alerts.ts); absent in states carried from before the alert model. */
  openAlerts?: OpenAlert[];
  nextActionTime?: number;
  /** Version numbers already used by an earlier run of this encounter (after retention). */
  versionOffset: number;
  lastDocumentIdentifierBeforeRun?: string;
  /** MessageHeader id of the earlier run's last version: its late answers still find it. */
  lastMessageHeaderIdBeforeRun?: string;
  /** The state the earlier run ended in; this run's state until it has a version or a save of its own. */
  previousRunState?: ReportState;
  /** The clinical system withdrew the consultation (deleted or entered in error): nothing more is sent. */
  withdrawn?: Withdrawal;
  lastActivityAt: number;
}

export function initialState(encounterId: string, hostingPracticeOds: string, now: number): EncounterState {
  return {
    encounterId,
    hostingPracticeOds,
    latestRevision: 0,
    saveCount: 0,
    versions: [],
    phase: 'idle',
    codesReceived: [],
    sendsSoFar: 0,
    alerts: [],
    versionOffset: 0,
    lastActivityAt: now,
  };
}

/**
 * Records a save if it is newer than anything seen; stale or duplicate revisions change nothing.
 * Returns whether the save was accepted.
 */
export function acceptSave(state: EncounterState, snapshot: ConsultationSnapshot, saveTime: number): boolean {
  if (snapshot.revision <= state.latestRevision) return false;
  state.latest = snapshot;
  state.latestRevision = snapshot.revision;
  state.pending = {
    firstUnreportedSaveAt: state.pending?.firstUnreportedSaveAt ?? saveTime,
    lastSaveAt: Math.max(saveTime, state.pending?.lastSaveAt ?? saveTime),
  };
  state.saveCount += 1;
  if (state.phase === 'idle') state.phase = 'waiting';
  return true;
}

/** A save that names another hosting practice than the one the encounter belongs to (fixed by its first save). */
export function savedByAnotherPractice(state: EncounterState, snapshot: ConsultationSnapshot): boolean {
  return snapshot.hostingPractice.odsCode !== state.hostingPracticeOds;
}

/** Result of applying an incoming ack or report: what (if anything) an operator must hear about. */
export interface InboundEffect {
  matched: boolean;
  alert?: { kind: 'rejected' | 'undeliverable' | 'unexpected-responder'; version: number; detail: string };
}

/** A version that will change no more: acknowledged, rejected, undeliverable, or abandoned by an operator. */
export function versionIsSettled(v: ReportVersion): boolean {
  return v.outcome === 'acknowledged' || v.outcome === 'rejected' || v.outcome === 'undeliverable' || v.outcome === 'abandoned';
}

/**
 * The version an answer is about: the one whose MessageHeader id it quotes, or, when the receiver could not read
 * which message it answers (ITK3 UNREADABLE, e.g. 10009), the last version MESH accepted.
 */
function versionAnswered(state: EncounterState, ack: AcknowledgementReceived): ReportVersion | undefined {
  const quoted = state.versions.find((candidate) => candidate.identity.messageHeaderId === ack.messageHeaderId);
  return quoted ?? (ack.unreadableOriginal ? lastAcceptedVersion(state) : undefined);
}

function recordCode(state: EncounterState, code: CodeReceived): void {
  const seen = state.codesReceived.some((c) => c.version === code.version && c.source === code.source && c.code === code.code && c.at === code.at);
  if (!seen) state.codesReceived.push(code);
}

const ackSource = (ack: AcknowledgementReceived): CodeReceived['source'] => (ack.kind === 'infrastructure' ? 'itk3-infrastructure' : 'itk3-business');
const ackText = (ack: AcknowledgementReceived): string => `${ack.kind} acknowledgement ${ack.code}${ack.display ? ` (${ack.display})` : ''}`;

/**
 * An answer from another organisation than the registered practice PDS gave us. It still settles the version: MESH
 * delivered the report to the practice the spine named at delivery time, so a registration change since our lookup
 * explains it and a resend would go to the same place. The operator hears of it, since a wrong responder can also
 * mean a misrouted message.
 */
function unexpectedResponder(v: ReportVersion, ack: AcknowledgementReceived): string | undefined {
  if (!ack.responderOds || ack.responderOds.toUpperCase() === v.registeredPracticeOds.toUpperCase()) return undefined;
  const mailbox = ack.senderMailbox ? ` (mailbox ${ack.senderMailbox})` : '';
  return `answered by ODS ${ack.responderOds}${mailbox}, not the registered practice ${v.registeredPracticeOds}`;
}

export function applyAcknowledgement(state: EncounterState, ack: AcknowledgementReceived): InboundEffect {
  const v = versionAnswered(state, ack);
  if (!v) return applyToEarlierRun(state, { source: ackSource(ack), code: ack.code, positive: ack.positive, at: ack.receivedAt }, ack.messageHeaderId, ackText(ack));
  const slot = ack.kind === 'infrastructure' ? 'infrastructureAck' : 'businessAck';
  const previous = v[slot];
  if (previous && previous.code === ack.code && previous.positive === ack.positive) return { matched: true }; // duplicate delivery
  if (!previous?.positive) v[slot] = { code: ack.code, positive: ack.positive };
  recordCode(state, { version: v.version, source: ackSource(ack), code: ack.code, positive: ack.positive, at: ack.receivedAt });
  const responder = unexpectedResponder(v, ack);
  if (!ack.positive) {
    // A receiver that already accepted this message answers a resend of it as a duplicate: not a rejection.
    if (v.outcome === 'rejected' || v.outcome === 'acknowledged' || previous?.positive) return { matched: true };
    v.outcome = 'rejected';
    return { matched: true, alert: { kind: 'rejected', version: v.version, detail: responder ? `${ackText(ack)}, ${responder}` : ackText(ack) } };
  }
  if (ack.kind === 'business' && v.outcome !== 'rejected' && v.outcome !== 'undeliverable') v.outcome = 'acknowledged';
  return responder ? { matched: true, alert: { kind: 'unexpected-responder', version: v.version, detail: `${ackText(ack)} ${responder}` } } : { matched: true };
}

/**
 * An answer no version of this run carries: the earlier run's last version (its run completed before the answer
 * came) moves this run's inherited state; anything else is recorded against version 0 and reported unmatched.
 */
function applyToEarlierRun(state: EncounterState, code: Omit<CodeReceived, 'version'>, messageId: string | undefined, text: string): InboundEffect {
  const earlier = messageId !== undefined && messageId === state.lastMessageHeaderIdBeforeRun;
  recordCode(state, { ...code, version: earlier ? state.versionOffset : 0 });
  if (!earlier) return { matched: false };
  if (code.positive && code.source === 'itk3-business') state.previousRunState = 'acknowledged';
  if (code.positive || state.previousRunState === 'acknowledged') return { matched: true };
  state.previousRunState = code.source === 'mesh-report' ? 'undeliverable' : 'rejected';
  return { matched: true, alert: { kind: state.previousRunState, version: state.versionOffset, detail: text } };
}

/** A REPORT names the failed message by MESH message id and, when MESH echoes it, by our Mex-LocalID. */
function versionReported(state: EncounterState, report: MeshReportReceived): ReportVersion | undefined {
  return (
    state.versions.find((v) => v.meshMessageId === report.meshMessageId) ??
    (report.localId ? state.versions.find((v) => v.identity.messageHeaderId === report.localId || v.identity.localId === report.localId) : undefined)
  );
}

export function applyMeshReport(state: EncounterState, report: MeshReportReceived): InboundEffect {
  const classification = report.classification ?? classifyMeshReport(report.statusCode);
  const detail = `MESH report ${report.statusCode}, ${MESH_REPORT_CLASS_TEXT[classification]}${report.description ? ` (${report.description})` : ''}`;
  const v = versionReported(state, report);
  if (!v) return applyToEarlierRun(state, { source: 'mesh-report', code: report.statusCode, positive: false, at: report.receivedAt }, report.localId, detail);
  if (v.meshReportCode === report.statusCode) return { matched: true };
  v.meshReportCode = report.statusCode;
  v.meshReportClass = classification;
  recordCode(state, { version: v.version, source: 'mesh-report', code: report.statusCode, positive: false, at: report.receivedAt });
  if (v.outcome === 'acknowledged') return { matched: true }; // a late report cannot undo a business ack
  v.outcome = 'undeliverable';
  state.detail = detail;
  return { matched: true, alert: { kind: 'undeliverable', version: v.version, detail } };
}

export function latestVersion(state: EncounterState): ReportVersion | undefined {
  return state.versions[state.versions.length - 1];
}

/** The last version MESH accepted: the document a new version replaces. */
export function lastAcceptedVersion(state: EncounterState): ReportVersion | undefined {
  return [...state.versions].reverse().find((v) => v.meshMessageId !== undefined);
}

/** Reached MESH and not known to be rejected or undeliverable: a document the registered practice may hold. */
function deliveredAsFarAsKnown(v: ReportVersion): boolean {
  if (v.meshMessageId === undefined) return false;
  if (v.businessAck?.positive) return true;
  const rejected = v.infrastructureAck?.positive === false || v.businessAck?.positive === false;
  return !rejected && v.meshReportCode === undefined;
}

/**
 * The document a new version replaces (Composition.relatesTo): the last one not known to be rejected or
 * undeliverable, the earlier run's last one if it ended well, or none, since pointing at a document the receiver
 * never accepted risks ITK3 20014 there.
 */
export function replacedDocumentIdentifier(state: EncounterState): string | undefined {
  const delivered = [...state.versions].reverse().find(deliveredAsFarAsKnown);
  if (delivered) return delivered.identity.documentIdentifier;
  const earlierFailed = state.previousRunState === 'rejected' || state.previousRunState === 'undeliverable';
  return earlierFailed ? undefined : state.lastDocumentIdentifierBeforeRun;
}

/** The last version MESH accepted, when it carried exactly this content and may have reached the practice. */
export function unchangedVersion(state: EncounterState, contentDigest: string | undefined): ReportVersion | undefined {
  const last = lastAcceptedVersion(state);
  if (!last || contentDigest === undefined || last.contentDigest !== contentDigest) return undefined;
  return deliveredAsFarAsKnown(last) ? last : undefined;
}

/** What the status says of a version whose MESH address differs from the record (field names only). */
export function spineNote(v: ReportVersion): string | undefined {
  if (!v.spineMismatch?.length) return undefined;
  const verb = v.spineMismatch.length > 1 ? 'differ' : 'differs';
  return `the record's ${v.spineMismatch.join(' and ')} ${verb} from the spine's: version ${v.version} was addressed with the spine's (MESH verifies against it)`;
}

/** What the status says of a withdrawn consultation, and what the operator must do when a version went out. */
export function withdrawalNote(state: EncounterState, withdrawal: Withdrawal): string {
  const said = `withdrawn at the clinical system (${withdrawal.reason}) by ${withdrawal.requestedBy}`;
  const sent = lastAcceptedVersion(state);
  if (!sent) return `${said}: no report had been sent, and none will be`;
  return `${said} after version ${sent.version} went to ${sent.registeredPracticeOds}: contact that practice to withdraw it (Send Document has no withdrawal message)`;
}

export function reportState(state: EncounterState): ReportState {
  if (state.phase === 'needs-attention') return 'needs-attention';
  if (state.phase === 'sending') return 'sending';
  if (state.pending) return 'waiting-quiet-period';
  if (state.cycleOutcome && !VERSION_DECIDES.has(state.cycleOutcome)) return state.cycleOutcome as ReportState;
  const latest = latestVersion(state);
  if (!latest) return state.previousRunState ?? 'waiting-quiet-period';
  switch (latest.outcome) {
    case 'sending':
      return 'sending';
    case 'abandoned':
      return 'resolved';
    default:
      return latest.outcome;
  }
}

export function statusOf(state: EncounterState): EncounterStatus {
  const latest = lastAcceptedVersion(state);
  return {
    encounterId: state.encounterId,
    state: reportState(state),
    hostingPracticeOds: state.hostingPracticeOds,
    registeredPracticeOds: latestVersion(state)?.registeredPracticeOds,
    latestRevision: state.latestRevision,
    reportVersion: latest?.version ?? state.versionOffset,
    lastDocumentIdentifier: latest?.identity.documentIdentifier ?? state.lastDocumentIdentifierBeforeRun,
    lastMessageHeaderId: latest?.identity.messageHeaderId ?? state.lastMessageHeaderIdBeforeRun,
    nextActionTime: state.nextActionTime === undefined ? undefined : new Date(state.nextActionTime).toISOString(),
    detail: state.withdrawn ? withdrawalNote(state, state.withdrawn) : state.detail,
    codesReceived: state.codesReceived,
    sendsSoFar: state.sendsSoFar,
    alerts: state.alerts,
  };
}
