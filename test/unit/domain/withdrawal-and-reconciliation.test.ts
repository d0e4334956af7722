import {
  distinctGuids,
  parseReconciliationRequest,
  reconcile,
  type EncounterRecord,
} from '../../../domain/reconciliation';
import { parseWithdrawal } from '../../../domain/withdrawal';
import { validationIssues } from '../../support/validation-issues';

const issues = validationIssues;

describe('withdrawal contract', () => {
  it('accepts a deletion or an entry in error, with who and when', () => {
    const withdrawal = {
      reason: 'entered-in-error',
      requestedBy: ' clinician 4711 ',
      at: '2026-11-21T10:00:00Z',
    };
    expect(parseWithdrawal(withdrawal)).toEqual({ ...withdrawal, requestedBy: 'clinician 4711' });
  });

  it('names each bad field without echoing it', () => {
    expect(
      issues(() =>
        parseWithdrawal({ reason: 'regretted', requestedBy: 'a\u0007b', at: 'yesterday', extra: 1 }),
      ),
    ).toEqual([
      { field: 'reason', reason: 'must be one of deleted, entered-in-error' },
      { field: 'requestedBy', reason: 'must not contain control characters' },
      { field: 'at', reason: expect.stringContaining('ISO 8601') },
      { field: '(root)', reason: 'has 1 unknown field(s)' },
    ]);
  });
});

describe('reconciliation request contract', () => {
  const from = '2026-11-01T00:00:00Z';
  const to = '2026-11-30T23:59:59Z';

  it('takes a period and a bounded list of GUIDs', () => {
    expect(
      parseReconciliationRequest({ from, to, encounterIds: ['4f1c2e9a-7b3d-4c5e-9a1f-2b6d8e0c3a71'] }),
    ).toEqual({
      from,
      to,
      encounterIds: ['4f1c2e9a-7b3d-4c5e-9a1f-2b6d8e0c3a71'],
    });
  });

  it('refuses a reversed period, a non-GUID and a list over 10,000', () => {
    expect(issues(() => parseReconciliationRequest({ from: to, to: from, encounterIds: ['x'] }))).toEqual([
      { field: 'encounterIds[0]', reason: 'must be a GUID' },
      { field: 'to', reason: 'must not be before from' },
    ]);
    const tooMany = Array.from({ length: 10_001 }, () => crypto.randomUUID());
    expect(issues(() => parseReconciliationRequest({ from, to, encounterIds: tooMany }))).toEqual([
      { field: 'encounterIds', reason: 'allows at most 10000 item(s)' },
    ]);
  });
});

describe('reconcile', () => {
  const [a, b, c, d] = [
    'aaaaaaaa-0000-4000-8000-000000000001',
    'bbbbbbbb-0000-4000-8000-000000000002',
    'cccccccc-0000-4000-8000-000000000003',
    'dddddddd-0000-4000-8000-000000000004',
  ] as const;
  const held = new Map<string, EncounterRecord>([
    [a, { practiceOds: 'Y90001', state: 'acknowledged', running: false }],
    [b, { practiceOds: 'Y90001', state: 'waiting-quiet-period', running: true }],
    [d, { practiceOds: 'Y90002', state: 'acknowledged', running: true }],
  ]);

  it('lists missed hooks, encounters of another practice, and the state of the others', () => {
    expect(reconcile('Y90001', [a.toUpperCase(), b, c, d, a], held)).toEqual({
      checked: 4,
      missing: [c],
      otherPractice: [d],
      encounters: [
        { encounterId: a.toUpperCase(), state: 'acknowledged', running: false },
        { encounterId: b, state: 'waiting-quiet-period', running: true },
      ],
      states: { acknowledged: 1, 'waiting-quiet-period': 1 },
    });
  });

  it('counts an encounter whose workflow published no state as unknown', () => {
    const stateless = new Map<string, EncounterRecord>([[a, { practiceOds: 'Y90001', running: true }]]);
    expect(reconcile('Y90001', [a], stateless)).toMatchObject({ encounters: [{ encounterId: a, state: 'unknown', running: true }], states: { unknown: 1 } });
  });
});

describe('distinctGuids', () => {
  it('keeps each GUID once whatever its case, in order of first appearance', () => {
    const a = '2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e';
    const b = '3c4d5e6f-7a8b-4c9d-8e0f-2a3b4c5d6e7f';
    expect(distinctGuids([a, b, a.toUpperCase(), b])).toEqual([a, b]);
  });
});
