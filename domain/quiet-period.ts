/**
 * When a pending report fires (GPCM-SD-096/097/099/100/101): the practice's quiet period after the last save,
 * capped by the optional maximum total wait counted from the first unreported save. Pure and deterministic.
 */
export interface PendingSaves {
  /** savedAt of the first save not yet reported (epoch ms). */
  firstUnreportedSaveAt: number;
  /** savedAt of the latest save (epoch ms). */
  lastSaveAt: number;
}

export function reportDueAt(pending: PendingSaves, quietPeriodMs: number, maxTotalWaitMs: number | null): number {
  const afterQuietPeriod = pending.lastSaveAt + quietPeriodMs;
  if (maxTotalWaitMs === null) return afterQuietPeriod;
  return Math.min(afterQuietPeriod, pending.firstUnreportedSaveAt + maxTotalWaitMs);
}

/**
 * The save time the timer counts from. The clinical system's clock decides (an update at 2h59m restarts the period
 * from that moment even if the hook arrives late), but a clock ahead of ours must not push the report out.
 */
export function effectiveSaveTime(savedAtIso: string, workflowNow: number): number {
  return Math.min(Date.parse(savedAtIso), workflowNow);
}
