/**
 * Stands in for the encounter workflow's `withdraw` handler (the real one is the workflow side's, tested with the
 * time-skipping server) so the API contract of a withdrawal is tested on its own: the first withdrawal is accepted
 * and cancels the report, any later one is refused with a reason.
 */
import { condition, setHandler } from '@temporalio/workflow';
import {
  withdrawUpdate,
  type Withdrawal,
  type WithdrawalAccepted,
} from '../../../workflows/encounter-withdrawal';

export async function encounterWorkflow(): Promise<void> {
  let withdrawn: Withdrawal | undefined;
  setHandler(
    withdrawUpdate,
    (withdrawal): Promise<WithdrawalAccepted> => {
      withdrawn = withdrawal;
      return Promise.resolve({ state: 'cancelled', outcome: 'cancelled-before-send' });
    },
    {
      validator: (_withdrawal: Withdrawal) => {
        if (withdrawn) throw new Error(`the encounter was already withdrawn (${withdrawn.reason})`);
      },
    },
  );
  await condition(() => false);
}
