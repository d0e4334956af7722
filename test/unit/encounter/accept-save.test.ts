/** acceptSave: which saves count, and how an accepted one moves the pending window and the phase. */
import { acceptSave, type EncounterState } from '../../../workflows/encounter-state';
import { at, copy, snapshot, state } from './fixtures';

/** A state that has already accepted revision 3, saved at minute 10 after a first unreported save at minute 0. */
const afterRevision3 = (overrides: Partial<EncounterState> = {}): EncounterState =>
  state({
    latest: snapshot(3),
    latestRevision: 3,
    pending: { firstUnreportedSaveAt: at(0), lastSaveAt: at(10) },
    saveCount: 3,
    phase: 'waiting',
    ...overrides,
  });

describe('acceptSave', () => {
  it.each([
    ['a duplicate revision', 3],
    ['a stale revision', 2],
  ])('ignores %s and changes nothing', (_name, revision) => {
    const s = afterRevision3();
    const before = copy(s);
    expect(acceptSave(s, snapshot(revision), at(20))).toBe(false);
    expect(s).toEqual(before);
  });

  it('ignores a first save whose revision is not above the initial 0', () => {
    const s = state();
    expect(acceptSave(s, snapshot(0), at(1))).toBe(false);
    expect(s).toEqual(state());
  });

  it('accepts the first save: latest snapshot, revision, one-save pending window and count', () => {
    const s = state();
    const saved = snapshot(1);
    expect(acceptSave(s, saved, at(5))).toBe(true);
    expect(s.latest).toBe(saved);
    expect(s.latestRevision).toBe(1);
    expect(s.pending).toEqual({ firstUnreportedSaveAt: at(5), lastSaveAt: at(5) });
    expect(s.saveCount).toBe(1);
  });

  it('accepts a later save, keeping the first unreported save time and counting it', () => {
    const s = afterRevision3();
    expect(acceptSave(s, snapshot(4), at(30))).toBe(true);
    expect(s.latestRevision).toBe(4);
    expect(s.pending).toEqual({ firstUnreportedSaveAt: at(0), lastSaveAt: at(30) });
    expect(s.saveCount).toBe(4);
  });

  it('accepts a revision that skips numbers', () => {
    const s = afterRevision3();
    expect(acceptSave(s, snapshot(9), at(30))).toBe(true);
    expect(s.latestRevision).toBe(9);
  });

  it.each([
    ['later than the last save: moves it', 30, 30],
    ['equal to the last save: keeps it', 10, 10],
    ['earlier than the last save (clock skew): keeps the later one', 5, 10],
  ])('takes the latest save time when the new one is %s', (_name, savedAtMinute, expectedLastMinute) => {
    const s = afterRevision3();
    acceptSave(s, snapshot(4), at(savedAtMinute));
    expect(s.pending?.lastSaveAt).toBe(at(expectedLastMinute));
  });

  it('opens a new pending window after the previous saves were reported', () => {
    const s = afterRevision3({ pending: undefined, phase: 'idle' });
    acceptSave(s, snapshot(4), at(60));
    expect(s.pending).toEqual({ firstUnreportedSaveAt: at(60), lastSaveAt: at(60) });
  });

  it.each([
    ['idle', 'waiting'],
    ['waiting', 'waiting'],
    ['sending', 'sending'],
    ['needs-attention', 'needs-attention'],
  ] as const)('moves phase %s to %s', (phase, expected) => {
    const s = afterRevision3({ phase });
    acceptSave(s, snapshot(4), at(30));
    expect(s.phase).toBe(expected);
  });

  it('leaves versions, alerts and codes alone', () => {
    const s = afterRevision3();
    acceptSave(s, snapshot(4), at(30));
    expect(s.versions).toEqual([]);
    expect(s.alerts).toEqual([]);
    expect(s.codesReceived).toEqual([]);
  });
});
