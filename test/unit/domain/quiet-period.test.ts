/** When a pending report fires (GPCM-SD-096/097/099/100/101): the quiet period, the maximum total wait, the save clock. */
import { effectiveSaveTime, reportDueAt, type PendingSaves } from '../../../domain/quiet-period';

const T0 = Date.parse('2026-11-20T10:00:00Z');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const min = (n: number): number => T0 + n * MINUTE;

/** First unreported save at T0, latest save `lastSaveMinute` minutes later. */
const pending = (lastSaveMinute: number): PendingSaves => ({
  firstUnreportedSaveAt: T0,
  lastSaveAt: min(lastSaveMinute),
});

describe('reportDueAt', () => {
  it.each<[string, PendingSaves, number, number | null, number]>([
    ['no cap: quiet period after a single save', pending(0), 3 * HOUR, null, min(180)],
    ['no cap: quiet period counts from the last save', pending(170), 3 * HOUR, null, min(350)],
    [
      'cap earlier than the quiet period: the cap from the first save wins',
      pending(170),
      3 * HOUR,
      4 * HOUR,
      min(240),
    ],
    ['cap later than the quiet period: the quiet period wins', pending(30), 3 * HOUR, 8 * HOUR, min(210)],
    ['cap exactly at the quiet period end: that moment', pending(60), 3 * HOUR, 4 * HOUR, min(240)],
    ['zero quiet period: due at the last save', pending(15), 0, null, min(15)],
    ['zero cap: due at the first save', pending(15), 3 * HOUR, 0, T0],
  ])('%s', (_name, saves, quietPeriodMs, maxTotalWaitMs, expected) => {
    expect(reportDueAt(saves, quietPeriodMs, maxTotalWaitMs)).toBe(expected);
  });
});

describe('effectiveSaveTime', () => {
  it.each<[string, string, number, number]>([
    ['clinical clock behind ours: its save time counts', '2026-11-20T10:00:00Z', min(7), T0],
    ['clinical clock ahead of ours: capped at the workflow clock', '2026-11-20T10:30:00Z', min(7), min(7)],
    ['both clocks equal', '2026-11-20T10:07:00Z', min(7), min(7)],
    ['a time-zone offset is honoured', '2026-11-20T10:05:00+01:00', min(7), min(-55)],
    ['milliseconds are kept', '2026-11-20T10:00:00.250Z', min(7), T0 + 250],
  ])('%s', (_name, savedAt, workflowNow, expected) => {
    expect(effectiveSaveTime(savedAt, workflowNow)).toBe(expected);
  });
});
