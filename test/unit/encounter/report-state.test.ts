/** What an operator sees: reportState, statusOf and the version look-ups they use. */
import {
  lastAcceptedVersion,
  latestVersion,
  reportState,
  statusOf,
  versionIsSettled,
  type EncounterState,
  type VersionOutcome,
} from '../../../workflows/encounter-state';
import type { ReportState } from '../../../workflows/encounter-messages';
import { at, state, version, withVersions } from './fixtures';

const PENDING = { firstUnreportedSaveAt: at(0), lastSaveAt: at(5) };

describe('reportState', () => {
  it.each<[string, Partial<EncounterState>, ReportState]>([
    [
      'needs-attention wins over pending saves',
      { phase: 'needs-attention', pending: PENDING, cycleOutcome: 'blocked' },
      'needs-attention',
    ],
    ['sending wins over pending saves', { phase: 'sending', pending: PENDING }, 'sending'],
    [
      'pending saves wait for the quiet period',
      { phase: 'waiting', pending: PENDING, cycleOutcome: 'blocked' },
      'waiting-quiet-period',
    ],
    [
      'pending saves win over the latest version',
      { pending: PENDING, versions: [version(1, { outcome: 'acknowledged' })] },
      'waiting-quiet-period',
    ],
    ['a fresh encounter waits', {}, 'waiting-quiet-period'],
    ['a sent cycle with no version yet waits', { cycleOutcome: 'sent' }, 'waiting-quiet-period'],
    ['a not-required cycle', { cycleOutcome: 'not-required' }, 'not-required'],
    ['a blocked cycle', { cycleOutcome: 'blocked' }, 'blocked'],
    ['a cancelled cycle', { cycleOutcome: 'cancelled' }, 'cancelled'],
    ['a resolved cycle', { cycleOutcome: 'resolved' }, 'resolved'],
    [
      'a cycle outcome wins over the latest version',
      { cycleOutcome: 'blocked', versions: [version(1, { outcome: 'rejected' })] },
      'blocked',
    ],
  ])('%s', (_name, overrides, expected) => {
    expect(reportState(state(overrides))).toBe(expected);
  });

  it.each<[VersionOutcome, ReportState]>([
    ['sending', 'sending'],
    ['awaiting-acknowledgement', 'awaiting-acknowledgement'],
    ['acknowledged', 'acknowledged'],
    ['rejected', 'rejected'],
    ['undeliverable', 'undeliverable'],
    ['abandoned', 'resolved'],
  ])('after a sent cycle, a latest version %s shows as %s', (outcome, expected) => {
    expect(reportState(state({ cycleOutcome: 'sent', versions: [version(1, { outcome })] }))).toBe(expected);
  });

  it('the latest version decides, not an earlier one', () => {
    const s = withVersions(version(1, { outcome: 'acknowledged' }), version(2, { outcome: 'rejected' }));
    expect(reportState(s)).toBe('rejected');
  });
});

describe('versionIsSettled', () => {
  it.each<[VersionOutcome, boolean]>([
    ['sending', false],
    ['awaiting-acknowledgement', false],
    ['acknowledged', true],
    ['rejected', true],
    ['undeliverable', true],
    ['abandoned', true],
  ])('%s → %s', (outcome, settled) => {
    expect(versionIsSettled(version(1, { outcome }))).toBe(settled);
  });
});

describe('latestVersion and lastAcceptedVersion', () => {
  it('find nothing in a fresh encounter', () => {
    expect(latestVersion(state())).toBeUndefined();
    expect(lastAcceptedVersion(state())).toBeUndefined();
  });

  it('the last accepted version is the last one MESH took, skipping a later unsent one', () => {
    const s = withVersions(
      version(1),
      version(2),
      version(3, { meshMessageId: undefined, outcome: 'sending' }),
    );
    expect(latestVersion(s)?.version).toBe(3);
    expect(lastAcceptedVersion(s)?.version).toBe(2);
  });

  it('no version is accepted while none reached MESH', () => {
    expect(lastAcceptedVersion(withVersions(version(1, { meshMessageId: undefined })))).toBeUndefined();
  });

  it('does not reorder the versions it searches', () => {
    const s = withVersions(version(1), version(2));
    lastAcceptedVersion(s);
    expect(s.versions.map((v) => v.version)).toEqual([1, 2]);
  });
});

describe('statusOf', () => {
  it('of a fresh encounter: version and document from an earlier run, no practice, no next action', () => {
    const s = state({ versionOffset: 4, lastDocumentIdentifierBeforeRun: 'document-4' });
    expect(statusOf(s)).toEqual({
      encounterId: 'enc-0001',
      state: 'waiting-quiet-period',
      hostingPracticeOds: 'Y90001',
      registeredPracticeOds: undefined,
      latestRevision: 0,
      reportVersion: 4,
      lastDocumentIdentifier: 'document-4',
      nextActionTime: undefined,
      detail: undefined,
      codesReceived: [],
      sendsSoFar: 0,
      alerts: [],
    });
  });

  it('reports the last accepted version, the latest version’s practice and the next action time as ISO 8601', () => {
    const code = {
      version: 1,
      source: 'itk3-business',
      code: '30001',
      positive: true,
      at: '2026-11-20T12:00:00Z',
    } as const;
    const s = state({
      versions: [
        version(1),
        version(2, { meshMessageId: undefined, outcome: 'sending', registeredPracticeOds: 'Y90003' }),
      ],
      phase: 'sending',
      latestRevision: 7,
      versionOffset: 4,
      lastDocumentIdentifierBeforeRun: 'document-earlier-run',
      nextActionTime: Date.parse('2026-11-20T13:00:00Z'),
      detail: 'sending version 2',
      codesReceived: [code],
      sendsSoFar: 2,
      alerts: ['an alert'],
    });
    expect(statusOf(s)).toEqual({
      encounterId: 'enc-0001',
      state: 'sending',
      hostingPracticeOds: 'Y90001',
      registeredPracticeOds: 'Y90003',
      latestRevision: 7,
      reportVersion: 1,
      lastDocumentIdentifier: 'document-1',
      lastMessageHeaderId: 'header-1',
      nextActionTime: '2026-11-20T13:00:00.000Z',
      detail: 'sending version 2',
      codesReceived: [code],
      sendsSoFar: 2,
      alerts: ['an alert'],
    });
  });

  it('shows a next action time of 0 (the epoch) rather than dropping it', () => {
    expect(statusOf(state({ nextActionTime: 0 })).nextActionTime).toBe('1970-01-01T00:00:00.000Z');
  });
});
