/**
 * The encounter as a state machine: its state (encounter-state.ts) and the named transitions that change it, each
 * publishing what operators see. The workflow function (encounter-workflow.ts) is the loop that calls them.
 * Deterministic code only; side effects are the activities proxied below.
 */
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  log,
  patched,
  proxyActivities,
  proxyLocalActivities,
  sleep,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { ConsultationSnapshot } from '../domain/snapshot';
import type { Withdrawal } from '../domain/withdrawal';
import { reportDueAt } from '../domain/quiet-period';
import { AckDeadlines, type AckKind } from './ack-deadlines';
import { failureSummary, failureType } from './activity-failures';
import type { AlertKind, EligibilityVerdict, EncounterActivities, OperatorAlert, PracticeSettingsView } from './encounter-activities';
import { noteAlert, takeAll, takeCleared, takeKind, type AlertNotice } from './encounter-alerts';
import { FAILURE_TYPES } from './encounter-activities';
import {
  CONFIGURATION_ACTIVITY_OPTIONS,
  EXTERNAL_ACTIVITY_OPTIONS,
  HOUSEKEEPING_ACTIVITY_OPTIONS,
  PREVIOUS_RUN_LOOKUP_OPTIONS,
} from './encounter-activity-options';
import type { EncounterStatus, EncounterWorkflowInput } from './encounter-messages';
import type { WithdrawalAccepted } from './encounter-withdrawal';
import { ALERT_MODEL_PATCH, CORRECTIONS_UNBLOCK_PATCH, STALE_SAVE_AFTER_RETENTION_PATCH } from './encounter-patches';
import { publishEncounterAttributes, publishMessageIds, publishPracticeAtStart } from './encounter-search-attributes';
import {
  initialState,
  lastAcceptedVersion,
  latestVersion,
  replacedDocumentIdentifier,
  reportState,
  spineNote,
  statusOf,
  unchangedVersion,
  withdrawalNote,
  type CycleOutcome,
  type EncounterState,
  type InboundEffect,
  type ReportVersion,
} from './encounter-state';
import { OperatorCommands, type OperatorRequest } from './operator-commands';
import { QuietPeriodTimer } from './quiet-period-timer';
import { ELIGIBILITY_ACTIVITY, IDLE_RETENTION_TIMER, RECONCILE_SETTLE_TIMER, reconcileActivity, sendReportActivity } from './ui-summaries';

/** Continue-as-new well before Temporal's limits; an update storm of hundreds of saves stays in a few runs. */
const HISTORY_EVENTS_BEFORE_CONTINUE = 2_000;
/** After an unknown-outcome send, give MESH time to settle before asking whether it took the message. */
const RECONCILE_SETTLE = '1 minute';
/** Resends of a version that MESH tracking said it never received, before an operator must decide. */
const MAX_RECONCILED_RESENDS = 3;
/** Idle retention when settings never loaded (the practice's own setting applies once they do). */
const DEFAULT_IDLE_RETENTION_MS = 30 * 24 * 3_600_000;

const config = proxyLocalActivities<Pick<EncounterActivities, 'loadPracticeSettings' | 'reportIdentity'>>(CONFIGURATION_ACTIVITY_OPTIONS);
const external = proxyActivities<Pick<EncounterActivities, 'assessEligibility' | 'sendReport' | 'reconcileUnknownSend'>>(EXTERNAL_ACTIVITY_OPTIONS);
const housekeeping = proxyActivities<Pick<EncounterActivities, 'raiseAlert' | 'previousRunSummary'>>(HOUSEKEEPING_ACTIVITY_OPTIONS);
const lookup = proxyLocalActivities<Pick<EncounterActivities, 'previousRunSummary'>>(PREVIOUS_RUN_LOOKUP_OPTIONS);

export interface EncounterWorkflowArgs extends EncounterWorkflowInput {
  /** State carried across continue-as-new. */
  carried?: EncounterState;
}

/** What ends a parked encounter's wait: an operator's answer, or a newer save that may correct the cause. */
type Decision = 'retry' | 'cancelled' | 'resolved' | 'superseded';
type Snapshot = NonNullable<EncounterState['latest']>;
/** Why a send parks the encounter. */
interface Problem {
  kind: AlertKind;
  detail: string;
}

export class Encounter {
  readonly state: EncounterState;
  readonly commands = new OperatorCommands();
  private readonly deadlines = new AckDeadlines((v, kind, windowMs) => this.ackMissed(v, kind, windowMs));
  private inflightAlerts = 0;
  private settings: PracticeSettingsView | undefined;
  private continued = false;
  private settingsLoadedAt = Number.NaN;
  /** Whether ALERT_MODEL_PATCH applies; asked at the first alert, so runs without alerts record no marker. */
  private alertModel: boolean | undefined;
  /** Under the alert model notices go out one after another, so a receiver never sees an update before its open. */
  private alertsSent: Promise<void> = Promise.resolve();

  /** `lean`: LEAN_ENCOUNTER_PATCH applies (runs recorded before it replay on the old path). */
  constructor(
    private readonly args: EncounterWorkflowArgs,
    private readonly lean: boolean,
  ) {
    this.state = args.carried ?? initialState(args.encounterId, args.hostingPracticeOds, Date.now());
  }

  status(): EncounterStatus {
    return statusOf(this.state);
  }

  /** Publishes the status, and resolves the alerts whose cause the last transition cleared. */
  publish(): void {
    publishEncounterAttributes(this.state, this.lean);
    this.sendResolved(takeCleared(this.state));
  }

  // ── Start ──────────────────────────────────────────────────────────────────────────────────────────────────────

  /** A new encounter counts on from an earlier run's versions; every run loads settings and re-arms ack deadlines. */
  async begin(): Promise<void> {
    if (!this.args.carried) await this.continueFromPreviousRun();
    this.continued = true;
    this.publish();
    await this.refreshSettings(true);
    const settings = this.settings;
    if (settings) for (const v of this.state.versions) if (v.outcome === 'awaiting-acknowledgement') this.deadlines.watch(v, settings);
  }

  private async continueFromPreviousRun(): Promise<void> {
    if (!this.lean) publishPracticeAtStart(this.state);
    const runs = { workflowId: workflowInfo().workflowId, currentRunId: workflowInfo().runId };
    const previous = await (this.lean ? lookup.previousRunSummary(runs) : housekeeping.previousRunSummary(runs));
    if (!previous) return;
    this.state.versionOffset = previous.reportVersion;
    this.state.lastDocumentIdentifierBeforeRun = previous.lastDocumentIdentifier;
    this.state.lastMessageHeaderIdBeforeRun = previous.lastMessageHeaderId;
    this.state.previousRunState = previous.state;
    this.state.latestRevision = Math.max(this.state.latestRevision, previous.latestRevision);
    const first = this.state.latest;
    if (first && first.revision <= previous.latestRevision && patched(STALE_SAVE_AFTER_RETENTION_PATCH)) this.dropStaleSave(first, previous.latestRevision);
  }

  /** A client's retry of a save the earlier run had already reported: nothing new to send. */
  private dropStaleSave(save: ConsultationSnapshot, earlierRevision: number): void {
    log.info('ignored a save the earlier run had already seen', { revision: save.revision, earlierRevision });
    this.state.latest = undefined;
    this.state.pending = undefined;
    this.state.phase = 'idle';
    this.state.detail = `revision ${save.revision} ignored: the earlier run had reached revision ${earlierRevision}`;
  }

  /** Answers wait for the earlier run's summary: one that started this run may be about that run's report. */
  async whenContinued(): Promise<void> {
    await condition(() => this.continued);
  }

  // ── Idle and settings ──────────────────────────────────────────────────────────────────────────────────────────

  /** Waits for a save or an operator command; false when the idle retention passed without either. */
  async waitForWork(): Promise<boolean> {
    this.state.nextActionTime = undefined;
    this.publish();
    const idleFor = this.settings?.idleRetentionMs ?? DEFAULT_IDLE_RETENTION_MS;
    return condition(() => this.state.pending !== undefined || this.commands.queued !== undefined, Math.max(1, this.state.lastActivityAt + idleFor - Date.now()), {
      summary: IDLE_RETENTION_TIMER,
    });
  }

  /**
   * The hosting practice's settings, or undefined when they could not be loaded and an operator decided. Workflow
   * time stands still within a workflow task, so lean runs reuse settings loaded at the same instant.
   */
  async currentSettings(): Promise<PracticeSettingsView | undefined> {
    await this.refreshSettings(!this.lean || !this.settings || Date.now() !== this.settingsLoadedAt);
    return this.settings;
  }

  private async refreshSettings(needed: boolean): Promise<void> {
    if (!needed) return;
    this.settings = await this.loadSettingsOrPark();
    this.settingsLoadedAt = Date.now();
  }

  private async loadSettingsOrPark(): Promise<PracticeSettingsView | undefined> {
    try {
      const settings = await config.loadPracticeSettings(this.state.hostingPracticeOds);
      this.sendResolved(takeKind(this.state, 'configuration', 'cleared: the practice settings loaded'));
      return settings;
    } catch (error) {
      const decision = await this.park('configuration', 0, `practice settings unavailable: ${failureSummary(error)}`);
      this.state.phase = this.state.pending ? 'waiting' : 'idle';
      if (decision === 'cancelled' || decision === 'resolved') {
        this.state.pending = undefined;
        this.finishCycle(decision);
      }
      return undefined;
    }
  }

  // ── Quiet period ───────────────────────────────────────────────────────────────────────────────────────────────

  /**
   * Waits out the quiet period: due at last save + period (capped by the max wait); a newer save restarts it, an
   * operator resend ends it early. False when an operator cancelled or resolved the pending report.
   */
  async waitForQuietPeriod(settings: PracticeSettingsView): Promise<boolean> {
    for (;;) {
      const pending = this.state.pending;
      if (!pending) return false;
      const dueAt = reportDueAt(pending, settings.quietPeriodMs, settings.maxTotalWaitMs);
      this.enterWaiting(dueAt);
      const seen = this.state.saveCount;
      const timer = new QuietPeriodTimer(() => this.state.saveCount !== seen || this.commands.queued !== undefined);
      if (await timer.sleepUntil(dueAt)) return true;
      const request = this.commands.take();
      if (request?.kind === 'resend') return true;
      if (request) return this.dropPending(request);
      if (await this.continueAsNewIfHistoryIsLong()) return false;
    }
  }

  private enterWaiting(dueAt: number): void {
    this.state.nextActionTime = dueAt;
    this.state.phase = 'waiting';
    this.publish();
  }

  /** Cancel or resolve while a report waits: nothing is sent. Always false (the wait is over, nothing to send). */
  dropPending(request: OperatorRequest): false {
    const done = request.kind === 'cancel' ? 'cancelled' : 'resolved';
    this.state.pending = undefined;
    this.state.phase = 'idle';
    this.state.cycleOutcome = done;
    this.state.detail = `${done} by ${request.action.requestedBy}`;
    return false;
  }

  // ── Fire: decide and send ──────────────────────────────────────────────────────────────────────────────────────

  /** The timer fired: decide, then send the latest snapshot as a new complete version. */
  async fire(settings: PracticeSettingsView): Promise<void> {
    const snapshot = this.state.latest;
    this.state.pending = undefined;
    this.state.nextActionTime = undefined;
    if (!snapshot) return;
    this.enterSending();
    const verdict = await this.assessEligibilityOrPark(snapshot);
    if (typeof verdict === 'string') return this.finishCycle(verdict === 'superseded' ? 'superseded' : 'cancelled');
    this.state.lastEligibility = verdict;
    if (verdict.verdict !== 'required') {
      this.state.detail = verdict.reason;
      if (verdict.verdict === 'blocked') await this.alert('eligibility-blocked', 0, verdict.reason);
      return this.finishCycle(verdict.verdict);
    }
    const unchanged = unchangedVersion(this.state, verdict.contentDigest);
    if (unchanged) {
      this.state.detail = `unchanged since version ${unchanged.version}: nothing the report carries changed, so nothing new was sent`;
      return this.finishCycle('unchanged');
    }
    const v = await this.buildVersion(snapshot, verdict);
    if (verdict.spineMismatch?.alert) await this.alert('spine-mismatch', v.version, spineNote(v) ?? '');
    const delivered = await this.deliver(v, snapshot, settings);
    if (delivered === 'sent') {
      this.finishCycle('sent');
      this.deadlines.watch(v, settings);
    } else {
      v.outcome = 'abandoned';
      this.finishCycle(delivered);
    }
  }

  private enterSending(): void {
    this.state.phase = 'sending';
    this.publish();
  }

  /** PDS and configuration failures that survive retries park the encounter until an operator decides. */
  private async assessEligibilityOrPark(snapshot: Snapshot): Promise<EligibilityVerdict | Exclude<Decision, 'retry'>> {
    for (;;) {
      try {
        // One X-Request-ID per lookup, reused by the activity's retries (PDS de-duplicates on it).
        return await external.assessEligibility.executeWithOptions({ ...EXTERNAL_ACTIVITY_OPTIONS, summary: ELIGIBILITY_ACTIVITY }, [
          { snapshot, requestId: uuid4() },
        ]);
      } catch (error) {
        const decision = await this.park('send-failed', latestVersion(this.state)?.version ?? 0, `eligibility check failed: ${failureSummary(error)}`);
        if (decision !== 'retry') return decision;
      }
    }
  }

  /** A new version replaces the last one MESH accepted; one that never reached MESH keeps its number. */
  private async buildVersion(snapshot: Snapshot, verdict: Extract<EligibilityVerdict, { verdict: 'required' }>): Promise<ReportVersion> {
    const previous = lastAcceptedVersion(this.state);
    const version = (previous?.version ?? this.state.versionOffset) + 1;
    const firstBuiltAt = new Date(Date.now()).toISOString(); // new time → new ids
    const identity = await config.reportIdentity({ encounterId: this.state.encounterId, version, firstBuiltAt });
    const v: ReportVersion = {
      version,
      revision: snapshot.revision,
      firstBuiltAt,
      identity,
      registeredPracticeOds: verdict.registeredPracticeOds,
      registeredPracticeName: verdict.registeredPracticeName,
      currentNhsNumber: verdict.currentNhsNumber,
      previousDocumentIdentifier: replacedDocumentIdentifier(this.state),
      outcome: 'sending',
      missingAckAlerts: [],
      contentDigest: verdict.contentDigest,
      addressDemographics: verdict.addressDemographics,
      spineMismatch: verdict.spineMismatch?.fields,
    };
    this.state.versions.push(v);
    this.state.detail = verdict.reason;
    publishMessageIds(this.state);
    return v;
  }

  /** Sends one version; never resends after an unknown outcome without asking MESH tracking first. */
  private async deliver(v: ReportVersion, snapshot: Snapshot, settings: PracticeSettingsView): Promise<'sent' | Exclude<Decision, 'retry'>> {
    let reconciledResends = 0;
    for (;;) {
      let problem: Problem;
      try {
        this.state.sendsSoFar += 1;
        const summary = sendReportActivity(v.version, v.registeredPracticeOds);
        const { meshMessageId } = await external.sendReport.executeWithOptions({ ...EXTERNAL_ACTIVITY_OPTIONS, summary }, [{
          snapshot,
          version: v.version,
          firstBuiltAt: v.firstBuiltAt,
          registeredPracticeOds: v.registeredPracticeOds,
          registeredPracticeName: v.registeredPracticeName,
          previousDocumentIdentifier: v.previousDocumentIdentifier,
          senderMailbox: settings.senderMailbox,
          currentNhsNumber: v.currentNhsNumber,
          addressDemographics: v.addressDemographics,
        }]);
        this.markSent(v, meshMessageId);
        return 'sent';
      } catch (error) {
        const outcome =
          failureType(error) === FAILURE_TYPES.unknownOutcome
            ? await this.reconcile(v, settings, ++reconciledResends)
            : { kind: 'send-failed' as const, detail: `send failed: ${failureSummary(error)}` };
        if (outcome === 'sent') return 'sent';
        if (outcome === 'resend') continue; // MESH never took it: resend the same ids
        problem = outcome;
      }
      const decision = await this.park(problem.kind, v.version, problem.detail);
      if (decision !== 'retry') return decision;
      this.enterSending();
    }
  }

  /** After an unknown-outcome send: did MESH take it? Resend (up to a limit) only when tracking says it did not. */
  private async reconcile(v: ReportVersion, settings: PracticeSettingsView, attempt: number): Promise<'sent' | 'resend' | Problem> {
    this.state.detail = 'send outcome unknown: reconciling with MESH tracking';
    await sleep(RECONCILE_SETTLE, { summary: RECONCILE_SETTLE_TIMER });
    const result = await external.reconcileUnknownSend.executeWithOptions({ ...EXTERNAL_ACTIVITY_OPTIONS, summary: reconcileActivity(v.version) }, [
      { senderMailbox: settings.senderMailbox, localId: v.identity.localId },
    ]);
    if (result.status === 'accepted') {
      this.markSent(v, result.meshMessageId);
      return 'sent';
    }
    if (v.infrastructureAck || v.businessAck) {
      // The receiver answered, so it has the message even though tracking does not show it.
      this.markSent(v, `unknown:${v.identity.localId}`);
      return 'sent';
    }
    if (attempt <= MAX_RECONCILED_RESENDS) return 'resend';
    return { kind: 'unknown-send-outcome', detail: `send outcome unknown and MESH tracking does not know local id ${v.identity.localId}` };
  }

  private markSent(v: ReportVersion, meshMessageId: string): void {
    v.meshMessageId = meshMessageId;
    v.sentAt = new Date(Date.now()).toISOString();
    if (v.outcome === 'sending') v.outcome = v.businessAck?.positive ? 'acknowledged' : 'awaiting-acknowledgement';
    this.state.detail = spineNote(v);
  }

  private finishCycle(outcome: CycleOutcome): void {
    this.state.phase = this.state.pending ? 'waiting' : 'idle';
    this.state.cycleOutcome = outcome;
    this.state.lastActivityAt = Date.now();
    this.publish();
  }

  // ── Operators ──────────────────────────────────────────────────────────────────────────────────────────────────

  /** Permanent failure: park in needs-attention and wait for an operator instead of failing the workflow. */
  private async park(kind: AlertKind, version: number, detail: string): Promise<Decision> {
    this.state.phase = 'needs-attention';
    this.state.detail = detail;
    this.state.nextActionTime = undefined;
    this.publish();
    const alertIndex = this.state.alerts.length;
    await this.alert(kind, version, detail);
    const request = await this.nextCommandOrCorrection();
    if (!request) return this.supersede(alertIndex);
    this.state.detail = `${request.kind} requested by ${request.action.requestedBy}`;
    this.state.phase = 'sending';
    return request.kind === 'resend' ? 'retry' : request.kind === 'cancel' ? 'cancelled' : 'resolved';
  }

  /** The next operator command, or undefined when a newer save came first (runs since CORRECTIONS_UNBLOCK_PATCH). */
  private async nextCommandOrCorrection(): Promise<OperatorRequest | undefined> {
    if (!patched(CORRECTIONS_UNBLOCK_PATCH)) return this.commands.next();
    const seen = this.state.saveCount;
    await condition(() => this.commands.queued !== undefined || this.state.saveCount !== seen);
    return this.commands.take();
  }

  /** A newer save replaces what parked the encounter: its alert is marked, and the save starts a fresh cycle. */
  private supersede(alertIndex: number): 'superseded' {
    const revision = this.state.latestRevision;
    if (this.state.alerts[alertIndex] !== undefined) this.state.alerts[alertIndex] += ` (superseded by revision ${revision})`;
    this.state.detail = `superseded by revision ${revision}: a fresh cycle starts after its quiet period`;
    this.state.phase = 'waiting';
    return 'superseded';
  }

  /** An operator acted while nothing was pending: resend the latest version with its ids, or close its alerts. */
  async applyIdleCommand(request: OperatorRequest, settings: PracticeSettingsView): Promise<void> {
    const latest = lastAcceptedVersion(this.state);
    if (request.kind === 'resend' && latest && this.state.latest) {
      this.enterSending();
      const outcome = await this.deliver(latest, this.state.latest, settings);
      if (outcome === 'sent') this.deadlines.watch(latest, settings);
      return this.finishCycle(outcome);
    }
    if (request.kind === 'resend' && this.state.latest) {
      this.state.pending = { firstUnreportedSaveAt: Date.now(), lastSaveAt: Date.now() };
      return this.fire(settings);
    }
    if (latest && request.kind === 'resolve') latest.outcome = latest.outcome === 'acknowledged' ? 'acknowledged' : 'abandoned';
    this.finishCycle(request.kind === 'cancel' ? 'cancelled' : 'resolved');
  }

  /**
   * The clinical system withdrew the consultation: the pending or parked report is cancelled through the command
   * slot like an operator's cancel; a version already sent needs a person to contact the registered practice.
   */
  async withdraw(withdrawal: Withdrawal): Promise<WithdrawalAccepted> {
    const sent = lastAcceptedVersion(this.state);
    const outcome = sent ? 'operator-alerted' : 'cancelled-before-send';
    if (this.state.withdrawn) return { state: reportState(this.state), outcome }; // a client's retry: answered again
    this.state.withdrawn = withdrawal;
    this.commands.submit({ kind: 'cancel', action: { requestedBy: withdrawal.requestedBy, reason: withdrawal.reason } });
    if (sent) await this.alert('withdrawn-after-send', sent.version, withdrawalNote(this.state, withdrawal));
    await condition(() => this.commands.queued === undefined);
    return { state: reportState(this.state), outcome };
  }

  /** A save naming another hosting practice than this encounter's: refused, and an operator hears of it. */
  async refuseSave(snapshot: ConsultationSnapshot): Promise<void> {
    const detail = `revision ${snapshot.revision} names hosting practice ${snapshot.hostingPractice.odsCode}, not ${this.state.hostingPracticeOds}: refused`;
    log.warn('refused a save of another hosting practice', { revision: snapshot.revision });
    await this.alert('other-hosting-practice', 0, detail);
  }

  // ── Answers and alerts ─────────────────────────────────────────────────────────────────────────────────────────

  /** An ITK3 acknowledgement or MESH REPORT was applied to the state: publish it and alert if it went wrong. */
  async answerApplied(effect: InboundEffect): Promise<void> {
    this.state.lastActivityAt = Date.now();
    this.publish();
    if (effect.alert) await this.alert(effect.alert.kind, effect.alert.version, effect.alert.detail);
  }

  private async ackMissed(v: ReportVersion, kind: AckKind, windowMs: number): Promise<void> {
    this.publish();
    const alertKind = kind === 'infrastructure' ? 'missing-infrastructure-ack' : 'missing-business-ack';
    await this.alert(alertKind, v.version, `no ${kind} acknowledgement within ${Math.round(windowMs / 60_000)} minutes of sending`);
  }

  /** Opens the kind's alert, or updates it while it is open (runs before ALERT_MODEL_PATCH: a new alert each time). */
  private async alert(kind: AlertKind, version: number, detail: string): Promise<void> {
    this.state.alerts.push(`${new Date(Date.now()).toISOString()} ${kind} v${version}: ${detail}`);
    await this.raise(this.usesAlertModel() ? noteAlert(this.state, kind, version, detail) : { kind, version, detail });
  }

  private usesAlertModel(): boolean {
    return (this.alertModel ??= patched(ALERT_MODEL_PATCH));
  }

  private async raise(notice: Omit<OperatorAlert, 'encounterId' | 'hostingPracticeOds'>): Promise<void> {
    const alert: OperatorAlert = { encounterId: this.state.encounterId, hostingPracticeOds: this.state.hostingPracticeOds, ...notice };
    this.inflightAlerts += 1;
    try {
      const sent = this.usesAlertModel() ? this.alertsSent.then(() => housekeeping.raiseAlert(alert)) : housekeeping.raiseAlert(alert);
      this.alertsSent = sent.catch(() => undefined);
      await sent;
    } finally {
      this.inflightAlerts -= 1;
    }
  }

  /** Resolved notices go out beside the transition that cleared them; quiesce() waits for them. */
  private sendResolved(notices: AlertNotice[]): void {
    for (const notice of notices) {
      this.raise(notice).catch((error: unknown) => log.warn('resolved notice not delivered', { key: notice.key, error: failureSummary(error) }));
    }
  }

  /** The run completes: its open alerts are resolved, since nothing more will happen to them in it. */
  closeAlerts(): void {
    this.sendResolved(takeAll(this.state, 'closed: the encounter completed after its idle retention'));
  }

  // ── End of a run ───────────────────────────────────────────────────────────────────────────────────────────────

  /** Lets handlers and alerts finish, so nothing a signal started is cut off by completion or continue-as-new. */
  async quiesce(): Promise<void> {
    await condition(() => allHandlersFinished() && this.inflightAlerts === 0);
  }

  async continueAsNewIfHistoryIsLong(): Promise<boolean> {
    const info = workflowInfo();
    if (!info.continueAsNewSuggested && info.historyLength < HISTORY_EVENTS_BEFORE_CONTINUE) return false;
    await this.quiesce();
    await continueAsNew<(args: EncounterWorkflowArgs) => Promise<EncounterStatus>>({
      encounterId: this.args.encounterId,
      hostingPracticeOds: this.args.hostingPracticeOds,
      carried: this.state,
    });
    return true;
  }
}
