/** When an operator command may be accepted (the Update validators' rule): every refusal and acceptance. */
import type { EncounterState } from '../../../workflows/encounter-state';
import type { OperatorCommand } from '../../../workflows/encounter-messages';
import { refusalOf, withdrawalRefusal, type OperatorRequest } from '../../../workflows/operator-commands';
import { at, snapshot, state, version, withVersions } from './fixtures';

const saved = (overrides: Partial<EncounterState> = {}): EncounterState => state({ latest: snapshot(1), latestRevision: 1, ...overrides });
const waiting = (): EncounterState => saved({ phase: 'waiting', pending: { firstUnreportedSaveAt: at(0), lastSaveAt: at(0) } });
const sent = (outcome: 'awaiting-acknowledgement' | 'acknowledged' | 'rejected' | 'undeliverable', missing: ('infrastructure' | 'business')[] = []): EncounterState => ({
  ...withVersions(version(1, { outcome, missingAckAlerts: missing })),
  latest: snapshot(1),
  latestRevision: 1,
});

const TABLE: [string, OperatorCommand, EncounterState, RegExp | undefined][] = [
  ['resend while sending', 'resend', saved({ phase: 'sending' }), /a send is in flight: resend when it has finished/],
  ['resend with nothing saved', 'resend', state(), /nothing to send/],
  ['resend while waiting', 'resend', waiting(), undefined],
  ['resend when parked', 'resend', saved({ phase: 'needs-attention' }), undefined],
  ['resend of an acknowledged report', 'resend', sent('acknowledged'), undefined],
  ['cancel while sending', 'cancel', saved({ phase: 'sending' }), /a send is in flight and cannot be called back/],
  ['cancel after acknowledged', 'cancel', sent('acknowledged'), /acknowledged by the registered practice: nothing to cancel/],
  ['cancel with nothing pending or sent', 'cancel', saved({ cycleOutcome: 'not-required' }), /nothing to cancel: the encounter is not-required/],
  ['cancel while waiting', 'cancel', waiting(), undefined],
  ['cancel when parked', 'cancel', saved({ phase: 'needs-attention' }), undefined],
  ['cancel while awaiting acknowledgement', 'cancel', sent('awaiting-acknowledgement'), undefined],
  ['resolve when parked', 'resolve', saved({ phase: 'needs-attention' }), undefined],
  ['resolve a rejected report', 'resolve', sent('rejected'), undefined],
  ['resolve an undeliverable report', 'resolve', sent('undeliverable'), undefined],
  ['resolve a blocked encounter', 'resolve', saved({ cycleOutcome: 'blocked' }), undefined],
  ['resolve a missing-ack alert', 'resolve', sent('awaiting-acknowledgement', ['infrastructure']), undefined],
  ['resolve while awaiting acknowledgement in time', 'resolve', sent('awaiting-acknowledgement'), /nothing to resolve: the encounter is awaiting-acknowledgement/],
  ['resolve an acknowledged report', 'resolve', sent('acknowledged'), /nothing to resolve: the encounter is acknowledged/],
  ['resolve while waiting', 'resolve', waiting(), /nothing to resolve: the encounter is waiting-quiet-period/],
];

it.each(TABLE)('%s', (_name, command, encounter, refusal) => {
  const answer = refusalOf(command, encounter, undefined);
  if (refusal) expect(answer).toMatch(refusal);
  else expect(answer).toBeUndefined();
});

it.each(['resend', 'cancel', 'resolve'] as const)('refuses a %s while another command waits to be applied', (command) => {
  const queued: OperatorRequest = { kind: 'cancel', action: { requestedBy: 'operator-2' } };
  expect(refusalOf(command, saved({ phase: 'needs-attention' }), queued)).toBe(
    'a cancel requested by operator-2 is still being applied: try again when it has been',
  );
});

describe('withdrawalRefusal', () => {
  const withdrawn = { reason: 'deleted' as const, requestedBy: 'cs-1', at: '2026-11-21T10:00:00Z' };
  it.each([
    ['already withdrawn, another time', saved({ withdrawn: { ...withdrawn, at: '2026-11-21T11:00:00Z' } }), undefined, 'already withdrawn (deleted) by cs-1'],
    ['the same withdrawal again (a retry)', saved({ withdrawn }), undefined, undefined],
    ['sending', saved({ phase: 'sending' }), undefined, 'a send is in flight: withdraw when it has finished'],
    ['a command queued', waiting(), { kind: 'resend', action: { requestedBy: 'op' } }, 'a resend requested by op is still being applied: try again when it has been'],
    ['waiting', waiting(), undefined, undefined],
    ['parked', saved({ phase: 'needs-attention' }), undefined, undefined],
  ] as const)('%s', (_name, encounter, queued, refusal) => {
    expect(withdrawalRefusal(encounter, withdrawn, queued)).toBe(refusal);
  });
});
