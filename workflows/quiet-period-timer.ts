/**
 * The quiet-period timer: fires at the due time (domain/quiet-period.ts) unless something that changes the due time
 * or ends the wait happens first. The caller recomputes the due time and sleeps again after an interruption.
 */
import { condition } from '@temporalio/workflow';
import { QUIET_PERIOD_TIMER } from './ui-summaries';

export class QuietPeriodTimer {
  constructor(private readonly interrupted: () => boolean) {}

  /** True when the timer fired at `dueAt`; false when interrupted before it. */
  async sleepUntil(dueAt: number): Promise<boolean> {
    const interrupted = await condition(this.interrupted, Math.max(1, dueAt - Date.now()), {
      summary: QUIET_PERIOD_TIMER,
    });
    return !interrupted;
  }
}
