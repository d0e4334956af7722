/**
 * One durable workflow per consultation: turns a stream of "consultation saved" events into exactly one report per
 * version, delivered and acknowledged, or an operator alert. Deterministic code only; side effects are activities.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  log,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  sleep,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import type { EncounterActivities, OperatorAlert, PracticeSettingsView } from './encounter-activities';
import { FAILURE_TYPES } from './encounter-activities';
import {
  CONFIGURATION_ACTIVITY_OPTIONS,
  EXTERNAL_ACTIVITY_OPTIONS,
  HOUSEKEEPING_ACTIVITY_OPTIONS,
  PREVIOUS_RUN_LOOKUP_OPTIONS,
} from './encounter-activity-options';
import {
  acknowledgementReceivedSignal,
  cancelReportingSignal,
  consultationSavedSignal,
  markResolvedSignal,
  meshReportReceivedSignal,
  resendNowSignal,
  statusQuery,
  type EncounterStatus,
  type EncounterWorkflowInput,
  type OperatorAction,
} from './encounter-messages';
import {
  acceptSave,
  applyAcknowledgement,
  applyMeshReport,
  initialState,
  lastAcceptedVersion,
  latestVersion,
  reportState,
  statusOf,
  versionIsSettled,
  type EncounterState,
  type ReportVersion,
} from './encounter-state';
import { effectiveSaveTime, reportDueAt } from '../domain/quiet-period';
import { NEXT_ACTION_TIME, PRACTICE_ODS, REPORT_MESSAGE_IDS, REPORT_STATUS } from './search-attributes';

/** Continue-as-new well before Temporal's limits; an update storm of hundreds of saves stays in a few runs. */
const HISTORY_EVENTS_BEFORE_CONTINUE = 2_000;
/** After an unknown-outcome send, give MESH time to settle before asking whether it took the message. */
const RECONCILE_SETTLE = '1 minute';
/** Resends of a version that MESH tracking said it never received, before an operator must decide. */
const MAX_RECONCILED_RESENDS = 3;
/**
 * Runs started since this patch ask the engine for less per encounter, which is what bounds how many timers one
 * worker fires on time (docs/performance.md): the previous-run lookup is a local activity (no activity task and no
 * second workflow task at start), search attributes are upserted only when they change, and practice settings are
 * not loaded twice in the same workflow task. Runs recorded before it replay on the old path.
 */
export const LEAN_ENCOUNTER_PATCH = 'lean-encounter-commands';

const config = proxyLocalActivities<Pick<EncounterActivities, 'loadPracticeSettings' | 'reportIdentity'>>(
  CONFIGURATION_ACTIVITY_OPTIONS,
);
const external = proxyActivities<Pick<EncounterActivities, 'assessEligibility' | 'sendReport' | 'reconcileUnknownSend'>>(
  EXTERNAL_ACTIVITY_OPTIONS,
);
const housekeeping = proxyActivities<Pick<EncounterActivities, 'raiseAlert' | 'previousRunSummary'>>(HOUSEKEEPING_ACTIVITY_OPTIONS);
const lookup = proxyLocalActivities<Pick<EncounterActivities, 'previousRunSummary'>>(PREVIOUS_RUN_LOOKUP_OPTIONS);

export interface EncounterWorkflowArgs extends EncounterWorkflowInput {
  /** State carried across continue-as-new. */
  carried?: EncounterState;
}

type OperatorRequest = { kind: 'resend' | 'cancel' | 'resolve'; action: OperatorAction };

export async function encounterWorkflow(args: EncounterWorkflowArgs): Promise<EncounterStatus> {
  const lean = patched(LEAN_ENCOUNTER_PATCH);
  const state = args.carried ?? initialState(args.encounterId, args.hostingPracticeOds, Date.now());
  let operatorRequest: OperatorRequest | undefined;
  let inflightAlerts = 0;

  const alert = async (kind: OperatorAlert['kind'], version: number, detail: string): Promise<void> => {
    state.alerts.push(`${new Date(Date.now()).toISOString()} ${kind} v${version}: ${detail}`);
    inflightAlerts += 1;
    try {
      await housekeeping.raiseAlert({ encounterId: state.encounterId, hostingPracticeOds: state.hostingPracticeOds, kind, version, detail });
    } finally {
      inflightAlerts -= 1;
    }
  };

  const publish = (): void => {
    if (!lean) {
      upsertSearchAttributes({
        [REPORT_STATUS.name]: [reportState(state)],
        [NEXT_ACTION_TIME.name]: state.nextActionTime === undefined ? [] : [new Date(state.nextActionTime)],
      });
      return;
    }
    // Each upsert is a history event and a visibility write: send only what differs from what the server holds
    // (the hook sets the practice and the first status when it starts the workflow).
    const current = workflowInfo().typedSearchAttributes;
    const status = reportState(state);
    const next = state.nextActionTime === undefined ? null : new Date(state.nextActionTime);
    const changed: SearchAttributeUpdatePair[] = [];
    if (current.get(PRACTICE_ODS) !== state.hostingPracticeOds) changed.push({ key: PRACTICE_ODS, value: state.hostingPracticeOds });
    if (current.get(REPORT_STATUS) !== status) changed.push({ key: REPORT_STATUS, value: status });
    if ((current.get(NEXT_ACTION_TIME)?.getTime() ?? null) !== (next?.getTime() ?? null)) changed.push({ key: NEXT_ACTION_TIME, value: next });
    if (changed.length > 0) upsertSearchAttributes(changed);
  };

  setHandler(consultationSavedSignal, (snapshot) => {
    const accepted = acceptSave(state, snapshot, effectiveSaveTime(snapshot.savedAt, Date.now()));
    if (!accepted) log.info('ignored a stale or duplicate save', { revision: snapshot.revision, latestRevision: state.latestRevision });
    else state.lastActivityAt = Date.now();
  });
  setHandler(acknowledgementReceivedSignal, async (ack) => {
    const effect = applyAcknowledgement(state, ack);
    if (!effect.matched) log.warn('acknowledgement for an unknown message header id', { kind: ack.kind, code: ack.code });
    state.lastActivityAt = Date.now();
    publish();
    if (effect.alert) await alert(effect.alert.kind, effect.alert.version, effect.alert.detail);
  });
  setHandler(meshReportReceivedSignal, async (report) => {
    const effect = applyMeshReport(state, report);
    if (!effect.matched) log.warn('MESH report for an unknown message id', { code: report.statusCode });
    state.lastActivityAt = Date.now();
    publish();
    if (effect.alert) await alert(effect.alert.kind, effect.alert.version, effect.alert.detail);
  });
  setHandler(resendNowSignal, (action) => {
    // A send already in flight will finish (or park for a decision): a second send of the same version would only
    // reach the practice as a duplicate.
    if (state.phase === 'sending') log.info('resend ignored: a send is in progress', { requestedBy: action.requestedBy });
    else operatorRequest = { kind: 'resend', action };
  });
  setHandler(cancelReportingSignal, (action) => void (operatorRequest = { kind: 'cancel', action }));
  setHandler(markResolvedSignal, (action) => void (operatorRequest = { kind: 'resolve', action }));
  setHandler(statusQuery, () => statusOf(state));

  if (!args.carried) {
    if (!lean) upsertSearchAttributes({ [PRACTICE_ODS.name]: [state.hostingPracticeOds] });
    const runs = { workflowId: workflowInfo().workflowId, currentRunId: workflowInfo().runId };
    const previous = await (lean ? lookup.previousRunSummary(runs) : housekeeping.previousRunSummary(runs));
    if (previous) {
      state.versionOffset = previous.reportVersion;
      state.lastDocumentIdentifierBeforeRun = previous.lastDocumentIdentifier;
      state.latestRevision = Math.max(state.latestRevision, previous.latestRevision);
    }
  }
  publish();

  // Ack deadlines run beside the main loop, one watcher per sent version (restarted after continue-as-new).
  const watchAcknowledgements = async (v: ReportVersion, settings: PracticeSettingsView): Promise<void> => {
    const sentAt = Date.parse(v.sentAt ?? new Date(Date.now()).toISOString());
    const windows: ['infrastructure' | 'business', number][] = [
      ['infrastructure', settings.infrastructureAckWindowMs],
      ['business', settings.businessAckWindowMs],
    ];
    for (const [kind, windowMs] of windows) {
      const arrived = (): boolean => versionIsSettled(v) || (kind === 'infrastructure' ? v.infrastructureAck !== undefined || v.businessAck !== undefined : v.businessAck !== undefined);
      if (v.missingAckAlerts.includes(kind)) continue;
      const received = await condition(arrived, Math.max(1, sentAt + windowMs - Date.now()));
      if (versionIsSettled(v)) return;
      if (!received && !v.missingAckAlerts.includes(kind)) {
        v.missingAckAlerts.push(kind);
        publish();
        await alert(kind === 'infrastructure' ? 'missing-infrastructure-ack' : 'missing-business-ack', v.version, `no ${kind} acknowledgement within ${Math.round(windowMs / 60_000)} minutes of sending`);
      }
    }
  };
  const watched = new Set<number>();
  const startWatching = (v: ReportVersion, settings: PracticeSettingsView): void => {
    if (watched.has(v.version)) return;
    watched.add(v.version);
    void watchAcknowledgements(v, settings)
      .catch((error: unknown) => log.error('acknowledgement watcher failed', { error: String(error) }))
      .finally(() => watched.delete(v.version));
  };

  let settings = await loadSettingsOrWaitForOperator();
  let settingsLoadedAt = Date.now();
  for (const v of state.versions) if (v.outcome === 'awaiting-acknowledgement' && settings) startWatching(v, settings);

  for (;;) {
    // Idle: wait for a save or an operator, or complete after the retention window without activity.
    state.nextActionTime = undefined;
    publish();
    const idleFor = settings?.idleRetentionMs ?? 30 * 24 * 3_600_000;
    const woke = await condition(() => state.pending !== undefined || operatorRequest !== undefined, Math.max(1, state.lastActivityAt + idleFor - Date.now()));
    if (!woke) {
      await condition(() => allHandlersFinished() && inflightAlerts === 0);
      return statusOf(state);
    }
    if (await continueAsNewIfHistoryIsLong()) return statusOf(state); // unreachable: continueAsNew throws

    // Workflow time stands still within a workflow task: settings loaded at the same instant are still current.
    if (!lean || !settings || Date.now() !== settingsLoadedAt) {
      settings = await loadSettingsOrWaitForOperator();
      settingsLoadedAt = Date.now();
    }
    if (!settings) continue;
    const request = operatorRequest;
    operatorRequest = undefined;
    if (request && !state.pending) {
      await handleIdleOperatorRequest(request, settings);
      continue;
    }
    if (request?.kind === 'cancel') {
      state.pending = undefined;
      state.cycleOutcome = 'cancelled';
      state.detail = `cancelled by ${request.action.requestedBy}`;
      continue;
    }
    if (request?.kind !== 'resend') {
      const proceed = await waitForQuietPeriod(settings);
      if (!proceed) continue;
    }
    await fire(settings);
  }

  /** Quiet period: fires at last save + period (capped by max wait); a newer save restarts it. False if cancelled. */
  async function waitForQuietPeriod(current: PracticeSettingsView): Promise<boolean> {
    for (;;) {
      const pending = state.pending;
      if (!pending) return false;
      const dueAt = reportDueAt(pending, current.quietPeriodMs, current.maxTotalWaitMs);
      state.nextActionTime = dueAt;
      state.phase = 'waiting';
      publish();
      const seen = state.saveCount;
      const interrupted = await condition(() => state.saveCount !== seen || operatorRequest !== undefined, Math.max(1, dueAt - Date.now()));
      if (!interrupted) return true;
      const request = operatorRequest;
      if (request) {
        operatorRequest = undefined;
        if (request.kind === 'resend') return true; // "send now": end the quiet period early
        state.pending = undefined;
        state.phase = 'idle';
        state.cycleOutcome = request.kind === 'cancel' ? 'cancelled' : 'resolved';
        state.detail = `${request.kind === 'cancel' ? 'cancelled' : 'resolved'} by ${request.action.requestedBy}`;
        return false;
      }
      if (await continueAsNewIfHistoryIsLong()) return false;
    }
  }

  /** The timer fired: decide, then send the latest snapshot as a new complete version. */
  async function fire(current: PracticeSettingsView): Promise<void> {
    const snapshot = state.latest;
    state.pending = undefined;
    state.nextActionTime = undefined;
    if (!snapshot) return;
    state.phase = 'sending';
    publish();
    const verdict = await assessEligibilityOrAskOperator(snapshot);
    state.lastEligibility = verdict ?? undefined;
    if (!verdict) return finishCycle('cancelled');
    if (verdict.verdict !== 'required') {
      state.detail = verdict.reason;
      if (verdict.verdict === 'blocked') await alert('eligibility-blocked', 0, verdict.reason);
      return finishCycle(verdict.verdict);
    }

    const previous = lastAcceptedVersion(state);
    const versionNumber = (previous?.version ?? state.versionOffset) + 1;
    // A version that never reached MESH (abandoned) keeps its number for the next attempt; new time → new ids.
    const firstBuiltAt = new Date(Date.now()).toISOString();
    const identity = await config.reportIdentity({ encounterId: state.encounterId, version: versionNumber, firstBuiltAt });
    const v: ReportVersion = {
      version: versionNumber,
      revision: snapshot.revision,
      firstBuiltAt,
      identity,
      registeredPracticeOds: verdict.registeredPracticeOds,
      registeredPracticeName: verdict.registeredPracticeName,
      currentNhsNumber: verdict.currentNhsNumber,
      previousDocumentIdentifier: previous?.identity.documentIdentifier ?? state.lastDocumentIdentifierBeforeRun,
      outcome: 'sending',
      missingAckAlerts: [],
    };
    state.versions.push(v);
    state.detail = verdict.reason;
    upsertSearchAttributes({ [REPORT_MESSAGE_IDS.name]: state.versions.map((x) => x.identity.messageHeaderId) });
    const delivered = await deliver(v, snapshot, current);
    if (delivered === 'sent') {
      finishCycle('sent');
      startWatching(v, current);
    } else {
      v.outcome = 'abandoned';
      finishCycle(delivered);
    }
  }

  /** PDS and configuration failures that survive retries park the encounter until an operator decides. */
  async function assessEligibilityOrAskOperator(snapshot: NonNullable<EncounterState['latest']>) {
    for (;;) {
      try {
        // One X-Request-ID per lookup, reused by the activity's retries (PDS de-duplicates on it).
        return await external.assessEligibility({ snapshot, requestId: uuid4() });
      } catch (error) {
        const decision = await awaitOperatorDecision('send-failed', latestVersion(state)?.version ?? 0, `eligibility check failed: ${failureSummary(error)}`);
        if (decision !== 'retry') return null;
      }
    }
  }

  function finishCycle(outcome: NonNullable<EncounterState['cycleOutcome']>): void {
    state.phase = state.pending ? 'waiting' : 'idle';
    state.cycleOutcome = outcome;
    state.lastActivityAt = Date.now();
    publish();
  }

  /** Sends one version; never resends after an unknown outcome without asking MESH tracking first. */
  async function deliver(v: ReportVersion, snapshot: NonNullable<EncounterState['latest']>, current: PracticeSettingsView): Promise<'sent' | 'cancelled' | 'resolved'> {
    let reconciledResends = 0;
    for (;;) {
      try {
        state.sendsSoFar += 1;
        const { meshMessageId } = await external.sendReport({
          snapshot,
          version: v.version,
          firstBuiltAt: v.firstBuiltAt,
          registeredPracticeOds: v.registeredPracticeOds,
          registeredPracticeName: v.registeredPracticeName,
          previousDocumentIdentifier: v.previousDocumentIdentifier,
          senderMailbox: current.senderMailbox,
          currentNhsNumber: v.currentNhsNumber,
        });
        markSent(v, meshMessageId);
        return 'sent';
      } catch (error) {
        let detail: string;
        let kind: OperatorAlert['kind'] = 'send-failed';
        if (failureType(error) === FAILURE_TYPES.unknownOutcome) {
          state.detail = 'send outcome unknown: reconciling with MESH tracking';
          await sleep(RECONCILE_SETTLE);
          const result = await external.reconcileUnknownSend({ senderMailbox: current.senderMailbox, localId: v.identity.localId });
          if (result.status === 'accepted') {
            markSent(v, result.meshMessageId);
            return 'sent';
          }
          if (v.infrastructureAck || v.businessAck) {
            // The receiver answered, so it has the message even though tracking does not show it.
            markSent(v, `unknown:${v.identity.localId}`);
            return 'sent';
          }
          if (++reconciledResends <= MAX_RECONCILED_RESENDS) continue; // MESH never took it: resend the same ids
          kind = 'unknown-send-outcome';
          detail = `send outcome unknown and MESH tracking does not know local id ${v.identity.localId}`;
        } else {
          detail = `send failed: ${failureSummary(error)}`;
        }
        const decision = await awaitOperatorDecision(kind, v.version, detail);
        if (decision !== 'retry') return decision;
        state.phase = 'sending';
        publish();
      }
    }
  }

  function markSent(v: ReportVersion, meshMessageId: string): void {
    v.meshMessageId = meshMessageId;
    v.sentAt = new Date(Date.now()).toISOString();
    if (v.outcome === 'sending') v.outcome = v.businessAck?.positive ? 'acknowledged' : 'awaiting-acknowledgement';
    state.detail = undefined;
  }

  /** Permanent failure: park in needs-attention and wait for an operator instead of failing the workflow. */
  async function awaitOperatorDecision(kind: OperatorAlert['kind'], version: number, detail: string): Promise<'retry' | 'cancelled' | 'resolved'> {
    state.phase = 'needs-attention';
    state.detail = detail;
    state.nextActionTime = undefined;
    publish();
    await alert(kind, version, detail);
    await condition(() => operatorRequest !== undefined);
    const request = operatorRequest as unknown as OperatorRequest;
    operatorRequest = undefined;
    state.detail = `${request.kind} requested by ${request.action.requestedBy}`;
    state.phase = 'sending';
    return request.kind === 'resend' ? 'retry' : request.kind === 'cancel' ? 'cancelled' : 'resolved';
  }

  /** An operator acted while nothing was pending: resend the latest version with its ids, or close its alerts. */
  async function handleIdleOperatorRequest(request: OperatorRequest, current: PracticeSettingsView): Promise<void> {
    const latest = lastAcceptedVersion(state);
    if (request.kind === 'resend' && latest && state.latest) {
      state.phase = 'sending';
      publish();
      const outcome = await deliver(latest, state.latest, current);
      if (outcome === 'sent') startWatching(latest, current);
      finishCycle(outcome === 'sent' ? 'sent' : outcome);
      return;
    }
    if (request.kind === 'resend' && state.latest) {
      state.pending = { firstUnreportedSaveAt: Date.now(), lastSaveAt: Date.now() };
      await fire(current);
      return;
    }
    if (latest && request.kind === 'resolve') latest.outcome = latest.outcome === 'acknowledged' ? 'acknowledged' : 'abandoned';
    finishCycle(request.kind === 'cancel' ? 'cancelled' : 'resolved');
  }

  async function loadSettingsOrWaitForOperator(): Promise<PracticeSettingsView | undefined> {
    try {
      return await config.loadPracticeSettings(state.hostingPracticeOds);
    } catch (error) {
      const decision = await awaitOperatorDecision('configuration', 0, `practice settings unavailable: ${failureSummary(error)}`);
      state.phase = state.pending ? 'waiting' : 'idle';
      if (decision !== 'retry') {
        state.pending = undefined;
        finishCycle(decision);
      }
      return undefined;
    }
  }

  async function continueAsNewIfHistoryIsLong(): Promise<boolean> {
    const info = workflowInfo();
    if (!info.continueAsNewSuggested && info.historyLength < HISTORY_EVENTS_BEFORE_CONTINUE) return false;
    await condition(() => allHandlersFinished() && inflightAlerts === 0);
    await continueAsNew<typeof encounterWorkflow>({ encounterId: args.encounterId, hostingPracticeOds: args.hostingPracticeOds, carried: state });
    return true;
  }
}

function failureType(error: unknown): string | undefined {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  return cause instanceof ApplicationFailure ? (cause.type ?? undefined) : undefined;
}

/** Failure types and messages from our adapters are PHI-free by construction. */
function failureSummary(error: unknown): string {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  if (cause instanceof ApplicationFailure) return `${cause.type ?? 'Error'}: ${cause.message}`;
  if (cause instanceof Error) return `${cause.name}: ${cause.message}`;
  return String(cause);
}
