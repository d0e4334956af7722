/**
 * The withdrawal of a consultation (deleted, or entered in error at the clinical system) as a Workflow Update: the
 * validator refuses one that cannot apply, with the reason (the API answers 409 with it); accepted, the workflow
 * cancels a pending report or, after a send, alerts an operator to contact the registered practice.
 */
import { defineUpdate } from '@temporalio/workflow';
import type { Withdrawal } from '../domain/withdrawal';
import type { ReportState } from './encounter-messages';

export type { Withdrawal, WithdrawalReason } from '../domain/withdrawal';

export interface WithdrawalAccepted {
  /** The report state once the withdrawal is applied. */
  state: ReportState;
  /** No report had gone out (none will), or one had and an operator was alerted to contact the registered practice. */
  outcome: 'cancelled-before-send' | 'operator-alerted';
}

export const withdrawUpdate = defineUpdate<WithdrawalAccepted, [Withdrawal]>('withdraw');
