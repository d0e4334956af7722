/**
 * Operator commands (resend, cancel, resolve): when each may be accepted, and the one slot an accepted command
 * waits in until the encounter acts on it. Update validators ask `refusalOf`; the signals of older clients skip it.
 */
import { condition } from '@temporalio/workflow';
import { lastAcceptedVersion, reportState, type EncounterState } from './encounter-state';
import type { Withdrawal } from '../domain/withdrawal';
import type { OperatorAction, OperatorCommand, ReportState } from './encounter-messages';

export interface OperatorRequest {
  kind: OperatorCommand;
  action: OperatorAction;
}

/** States in which an operator has something to resolve: a parked, refused, lost or blocked report. */
const RESOLVABLE: ReadonlySet<ReportState> = new Set<ReportState>(['needs-attention', 'rejected', 'undeliverable', 'blocked']);

/** Why the command cannot apply to the encounter as it stands, or undefined when it can. Pure. */
export function refusalOf(command: OperatorCommand, state: EncounterState, queued: OperatorRequest | undefined): string | undefined {
  if (queued) return queuedRefusal(queued);
  const current = reportState(state);
  switch (command) {
    case 'resend':
      if (state.phase === 'sending') return 'a send is in flight: resend when it has finished';
      if (!state.latest) return 'nothing to send: no consultation has been saved in this run';
      return undefined;
    case 'cancel':
      if (state.phase === 'sending') return 'a send is in flight and cannot be called back: cancel when it has finished';
      if (current === 'acknowledged') return 'the report was acknowledged by the registered practice: nothing to cancel';
      if (!state.pending && state.phase !== 'needs-attention' && lastAcceptedVersion(state) === undefined) return `nothing to cancel: the encounter is ${current}`;
      return undefined;
    case 'resolve':
      if (RESOLVABLE.has(current) || hasMissingAckAlert(state)) return undefined;
      return `nothing to resolve: the encounter is ${current}`;
  }
}

/** Why a withdrawal cannot apply now, or undefined when it can. Pure. */
export function withdrawalRefusal(state: EncounterState, withdrawal: Withdrawal, queued: OperatorRequest | undefined): string | undefined {
  if (state.withdrawn) return sameWithdrawal(state.withdrawn, withdrawal) ? undefined : `already withdrawn (${state.withdrawn.reason}) by ${state.withdrawn.requestedBy}`;
  if (state.phase === 'sending') return 'a send is in flight: withdraw when it has finished';
  if (queued) return queuedRefusal(queued);
  return undefined;
}

/** A client's retry of the withdrawal already applied (same reason and time): answered again, not refused. */
export function sameWithdrawal(applied: Withdrawal, again: Withdrawal): boolean {
  return applied.reason === again.reason && applied.at === again.at;
}

/** One command at a time: the slot holds one until the encounter has applied it. */
function queuedRefusal(queued: OperatorRequest): string {
  return `a ${queued.kind} requested by ${queued.action.requestedBy} is still being applied: try again when it has been`;
}

function hasMissingAckAlert(state: EncounterState): boolean {
  const latest = lastAcceptedVersion(state);
  return latest?.outcome === 'awaiting-acknowledgement' && latest.missingAckAlerts.length > 0;
}

/** The slot: at most one command waits; the encounter takes it when it is ready to act. */
export class OperatorCommands {
  private request: OperatorRequest | undefined;

  get queued(): OperatorRequest | undefined {
    return this.request;
  }

  submit(request: OperatorRequest): void {
    this.request = request;
  }

  take(): OperatorRequest | undefined {
    const request = this.request;
    this.request = undefined;
    return request;
  }

  /** Waits for the next command (a parked encounter does nothing else). */
  async next(): Promise<OperatorRequest> {
    await condition(() => this.request !== undefined);
    return this.take() as OperatorRequest;
  }
}
