/**
 * One durable workflow per consultation: turns a stream of "consultation saved" events into exactly one report per
 * version, delivered and acknowledged, or an operator alert. The state and its transitions are the Encounter
 * (encounter.ts); this file is the business process that drives it and the messages it answers.
 */
import { log, patched, setHandler } from '@temporalio/workflow';
import { effectiveSaveTime } from '../domain/quiet-period';
import { Encounter, type EncounterWorkflowArgs } from './encounter';
import { LEAN_ENCOUNTER_PATCH, ONE_HOSTING_PRACTICE_PATCH } from './encounter-patches';
import {
  acknowledgementReceivedSignal,
  cancelReportingSignal,
  cancelUpdate,
  consultationSavedSignal,
  markResolvedSignal,
  meshReportReceivedSignal,
  resendNowSignal,
  resendUpdate,
  resolveUpdate,
  statusQuery,
  type EncounterStatus,
  type OperatorAction,
  type OperatorCommand,
} from './encounter-messages';
import { acceptSave, applyAcknowledgement, applyMeshReport, reportState, savedByAnotherPractice } from './encounter-state';
import { refusalOf, withdrawalRefusal } from './operator-commands';
import { withdrawUpdate } from './encounter-withdrawal';
import { parseWithdrawal, type Withdrawal } from '../domain/withdrawal';

export type { EncounterWorkflowArgs } from './encounter';


export async function encounterWorkflow(args: EncounterWorkflowArgs): Promise<EncounterStatus> {
  const encounter = new Encounter(args, patched(LEAN_ENCOUNTER_PATCH));
  handleMessages(encounter);
  await encounter.begin();
  for (;;) {
    if (!(await encounter.waitForWork())) {
      encounter.closeAlerts();
      await encounter.quiesce(); // idle retention passed: complete; a later save starts a new run
      return encounter.status();
    }
    if (await encounter.continueAsNewIfHistoryIsLong()) return encounter.status(); // unreachable: continueAsNew throws
    const settings = await encounter.currentSettings();
    if (!settings) continue;
    const command = encounter.commands.take();
    if (command && !encounter.state.pending) {
      await encounter.applyIdleCommand(command, settings);
      continue;
    }
    if (command?.kind === 'cancel') {
      encounter.dropPending(command);
      continue;
    }
    if (command?.kind !== 'resend' && !(await encounter.waitForQuietPeriod(settings))) continue;
    await encounter.fire(settings);
  }
}

function handleMessages(encounter: Encounter): void {
  const { state } = encounter;
  setHandler(consultationSavedSignal, async (snapshot) => {
    if (savedByAnotherPractice(state, snapshot) && patched(ONE_HOSTING_PRACTICE_PATCH)) return encounter.refuseSave(snapshot);
    if (state.withdrawn) return log.info('ignored a save of a withdrawn consultation', { revision: snapshot.revision });
    if (acceptSave(state, snapshot, effectiveSaveTime(snapshot.savedAt, Date.now()))) state.lastActivityAt = Date.now();
    else log.info('ignored a stale or duplicate save', { revision: snapshot.revision, latestRevision: state.latestRevision });
  });
  setHandler(acknowledgementReceivedSignal, async (ack) => {
    await encounter.whenContinued();
    const effect = applyAcknowledgement(state, ack);
    if (!effect.matched) log.warn('acknowledgement for an unknown message header id', { kind: ack.kind, code: ack.code });
    await encounter.answerApplied(effect);
  });
  setHandler(meshReportReceivedSignal, async (report) => {
    await encounter.whenContinued();
    const effect = applyMeshReport(state, report);
    if (!effect.matched) log.warn('MESH report for an unknown message id', { code: report.statusCode });
    await encounter.answerApplied(effect);
  });
  handleOperatorCommands(encounter);
  setHandler(withdrawUpdate, (withdrawal) => encounter.withdraw(withdrawal), {
    validator: (withdrawal: Withdrawal) => {
      parseWithdrawal(withdrawal); // names the field at fault; older or foreign clients may skip the API's check
      const refusal = withdrawalRefusal(state, withdrawal, encounter.commands.queued);
      if (refusal) throw new Error(refusal);
    },
  });
  setHandler(statusQuery, () => encounter.status());
}

/** Updates validate before accepting; the signals of older clients are applied as they always were. */
function handleOperatorCommands(encounter: Encounter): void {
  const updates = [
    [resendUpdate, 'resend'],
    [cancelUpdate, 'cancel'],
    [resolveUpdate, 'resolve'],
  ] as const;
  for (const [update, kind] of updates) {
    setHandler(
      update,
      (action) => {
        encounter.commands.submit({ kind, action });
        return { command: kind, state: reportState(encounter.state) };
      },
      { validator: (action: OperatorAction) => validateCommand(encounter, kind, action) },
    );
  }
  setHandler(resendNowSignal, (action) => {
    // A send already in flight will finish (or park for a decision): a second send would reach the practice twice.
    if (encounter.state.phase === 'sending') log.info('resend ignored: a send is in progress', { requestedBy: action.requestedBy });
    else encounter.commands.submit({ kind: 'resend', action });
  });
  setHandler(cancelReportingSignal, (action) => encounter.commands.submit({ kind: 'cancel', action }));
  setHandler(markResolvedSignal, (action) => encounter.commands.submit({ kind: 'resolve', action }));
}

function validateCommand(encounter: Encounter, kind: OperatorCommand, action: OperatorAction): void {
  if (typeof action?.requestedBy !== 'string' || action.requestedBy.trim() === '') throw new Error('requestedBy: must name who decides');
  const refusal = refusalOf(kind, encounter.state, encounter.commands.queued);
  if (refusal) throw new Error(refusal);
}
