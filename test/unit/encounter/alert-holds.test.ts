/** Whether the state that raised an encounter alert still holds (workflows/encounter-alerts.ts stillHolds). */
import { stillHolds, takeAll, noteAlert, type OpenAlert } from '../../../workflows/encounter-alerts';
import type { AlertKind } from '../../../workflows/encounter-activities';
import { state, version, withVersions } from './fixtures';

const alert = (kind: AlertKind, v = 1): OpenAlert => ({
  key: `encounter-enc-0001/${kind}`,
  kind,
  version: v,
  count: 1,
});
const positive = { code: '30001', positive: true };
const infrastructure = { code: '20013', positive: true };

describe('stillHolds', () => {
  it.each([
    [
      'an operator resolved the encounter',
      state({ phase: 'idle', cycleOutcome: 'resolved' }),
      'send-failed',
      false,
    ],
    [
      'cancelled: a send problem no longer matters',
      state({ phase: 'idle', cycleOutcome: 'cancelled' }),
      'send-failed',
      false,
    ],
    [
      'a send problem while the encounter waits for an operator',
      state({ phase: 'needs-attention' }),
      'send-failed',
      true,
    ],
    ['a send problem while it sends again', state({ phase: 'sending' }), 'unknown-send-outcome', true],
    ['a send problem once it waits for acks', withVersions(version(1)), 'send-failed', false],
    [
      'rejected: still the latest version',
      withVersions(version(1, { outcome: 'rejected' })),
      'rejected',
      true,
    ],
    [
      'rejected: a newer version went',
      withVersions(version(1, { outcome: 'rejected' }), version(2)),
      'rejected',
      false,
    ],
    [
      'undeliverable in the earlier run, nothing sent in this one',
      state({ previousRunState: 'undeliverable' }),
      'undeliverable',
      true,
    ],
    ['missing infrastructure ack: none yet', withVersions(version(1)), 'missing-infrastructure-ack', true],
    [
      'missing infrastructure ack: it came',
      withVersions(version(1, { infrastructureAck: infrastructure })),
      'missing-infrastructure-ack',
      false,
    ],
    [
      'missing business ack: none yet',
      withVersions(version(1, { infrastructureAck: infrastructure })),
      'missing-business-ack',
      true,
    ],
    [
      'missing business ack: it came',
      withVersions(version(1, { businessAck: positive })),
      'missing-business-ack',
      false,
    ],
    ['missing ack of an older version', withVersions(version(1), version(2)), 'missing-business-ack', false],
    [
      'eligibility blocked: still',
      state({ lastEligibility: { verdict: 'blocked', reason: 'r' } } as never),
      'eligibility-blocked',
      true,
    ],
    [
      'eligibility blocked: now required',
      state({ lastEligibility: { verdict: 'required', registeredPracticeOds: 'Y90002', reason: 'r' } }),
      'eligibility-blocked',
      false,
    ],
    [
      'spine mismatch on the latest version',
      withVersions(version(1, { spineMismatch: ['family name'] })),
      'spine-mismatch',
      true,
    ],
    [
      'no spine mismatch on the latest version',
      withVersions(version(1), version(2)),
      'spine-mismatch',
      false,
    ],
    ['a single event an operator closes', withVersions(version(1)), 'unexpected-responder', true],
  ] as const)('%s', (_name, s, kind, expected) => {
    expect(stillHolds(s, alert(kind))).toBe(expected);
  });
});

it('takeAll resolves every open alert and leaves none', () => {
  const s = withVersions(version(1));
  noteAlert(s, 'unexpected-responder', 1, 'answered by ODS Y90009');
  noteAlert(s, 'spine-mismatch', 1, 'family name');
  expect(takeAll(s, 'the run completed').map((n) => [n.kind, n.status, n.detail])).toEqual([
    ['unexpected-responder', 'resolved', 'the run completed'],
    ['spine-mismatch', 'resolved', 'the run completed'],
  ]);
  expect(s.openAlerts).toEqual([]);
});

it('a withdrawal after a send stays open on a cancelled encounter', () => {
  expect(stillHolds(state({ phase: 'idle', cycleOutcome: 'cancelled' }), alert('withdrawn-after-send'))).toBe(
    true,
  );
});
