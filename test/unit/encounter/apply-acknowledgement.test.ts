/** applyAcknowledgement: how ITK3 infrastructure and business acks move a sent version, and when an operator hears. */
import {
  applyAcknowledgement,
  type ReportVersion,
  type VersionOutcome,
} from '../../../workflows/encounter-state';
import { ack, copy, RECEIVED_AT, version, withVersions } from './fixtures';

const POSITIVE = { infrastructure: '20013', business: '30001' } as const;
const NEGATIVE = { infrastructure: '20007', business: '30002' } as const;
const KINDS = ['infrastructure', 'business'] as const;

/** Version 1 with one ack already in the given slot. */
const withAck = (
  kind: (typeof KINDS)[number],
  code: string,
  positive: boolean,
  overrides: Partial<ReportVersion> = {},
) =>
  withVersions(
    version(1, {
      [kind === 'infrastructure' ? 'infrastructureAck' : 'businessAck']: { code, positive },
      ...overrides,
    }),
  );

describe('applyAcknowledgement', () => {
  it('does not match an unknown message header id: records the code against version 0 and changes no version', () => {
    const s = withVersions(version(1));
    const before = copy(s);
    expect(applyAcknowledgement(s, ack({ messageHeaderId: 'header-unknown' }))).toEqual({ matched: false });
    expect(s.versions).toEqual(before.versions);
    expect(s.codesReceived).toEqual([{ version: 0, source: 'itk3-business', code: '30001', positive: true, at: RECEIVED_AT }]);
  });

  it('does not match when there are no versions', () => {
    expect(applyAcknowledgement(withVersions(), ack())).toEqual({ matched: false });
  });

  it('matches the version by its MessageHeader id', () => {
    const s = withVersions(version(1), version(2));
    applyAcknowledgement(s, ack({ messageHeaderId: 'header-2' }));
    expect(s.versions.map((v) => v.outcome)).toEqual(['awaiting-acknowledgement', 'acknowledged']);
  });

  it('records a positive infrastructure ack without settling the version', () => {
    const s = withVersions(version(1));
    expect(applyAcknowledgement(s, ack({ kind: 'infrastructure', code: POSITIVE.infrastructure }))).toEqual({
      matched: true,
    });
    expect(s.versions[0]).toMatchObject({
      infrastructureAck: { code: '20013', positive: true },
      outcome: 'awaiting-acknowledgement',
    });
    expect(s.versions[0]?.businessAck).toBeUndefined();
  });

  it.each(['sending', 'awaiting-acknowledgement', 'abandoned'] as const)(
    'a positive business ack acknowledges a %s version',
    (outcome) => {
      const s = withVersions(version(1, { outcome }));
      expect(applyAcknowledgement(s, ack())).toEqual({ matched: true });
      expect(s.versions[0]).toMatchObject({
        businessAck: { code: '30001', positive: true },
        outcome: 'acknowledged',
      });
    },
  );

  it.each([
    ['infrastructure', 'itk3-infrastructure'],
    ['business', 'itk3-business'],
  ] as const)('lists a %s ack among the codes received', (kind, source) => {
    const s = withVersions(version(1));
    applyAcknowledgement(s, ack({ kind, code: POSITIVE[kind] }));
    expect(s.codesReceived).toEqual([
      { version: 1, source, code: POSITIVE[kind], positive: true, at: RECEIVED_AT },
    ]);
  });

  it.each([
    ['positive infrastructure', 'infrastructure', POSITIVE.infrastructure, true],
    ['positive business', 'business', POSITIVE.business, true],
    ['negative infrastructure', 'infrastructure', NEGATIVE.infrastructure, false],
    ['negative business', 'business', NEGATIVE.business, false],
  ] as const)('ignores a duplicate %s ack: no code listed, no alert', (_name, kind, code, positive) => {
    const s = withAck(kind, code, positive, { outcome: positive ? 'awaiting-acknowledgement' : 'rejected' });
    const before = copy(s);
    expect(applyAcknowledgement(s, ack({ kind, code, positive }))).toEqual({ matched: true });
    expect(s).toEqual(before);
  });

  it.each(KINDS)('a negative %s ack rejects the version and alerts', (kind) => {
    const s = withVersions(version(1));
    const effect = applyAcknowledgement(s, ack({ kind, code: NEGATIVE[kind], positive: false }));
    expect(effect).toEqual({
      matched: true,
      alert: { kind: 'rejected', version: 1, detail: `${kind} acknowledgement ${NEGATIVE[kind]}` },
    });
    expect(s.versions[0]?.outcome).toBe('rejected');
    expect(s.versions[0]?.[kind === 'infrastructure' ? 'infrastructureAck' : 'businessAck']).toEqual({
      code: NEGATIVE[kind],
      positive: false,
    });
    expect(s.codesReceived).toEqual([expect.objectContaining({ code: NEGATIVE[kind], positive: false })]);
  });

  it('puts the display text of a negative ack in the alert detail', () => {
    const s = withVersions(version(1));
    const effect = applyAcknowledgement(
      s,
      ack({ code: NEGATIVE.business, positive: false, display: 'Patient not registered' }),
    );
    expect(effect.alert?.detail).toBe('business acknowledgement 30002 (Patient not registered)');
  });

  it.each(KINDS)(
    'a negative %s ack after a positive one is a duplicate of the accepted message, not a rejection',
    (kind) => {
      const s = withAck(kind, POSITIVE[kind], true);
      expect(applyAcknowledgement(s, ack({ kind, code: '20008', positive: false }))).toEqual({
        matched: true,
      });
      expect(s.versions[0]?.outcome).toBe('awaiting-acknowledgement');
      expect(s.versions[0]?.[kind === 'infrastructure' ? 'infrastructureAck' : 'businessAck']).toEqual({
        code: POSITIVE[kind],
        positive: true,
      });
      expect(s.codesReceived).toEqual([expect.objectContaining({ code: '20008', positive: false })]);
    },
  );

  it('a negative infrastructure ack on an acknowledged version neither rejects nor alerts', () => {
    const s = withAck('business', POSITIVE.business, true, { outcome: 'acknowledged' });
    expect(applyAcknowledgement(s, ack({ kind: 'infrastructure', code: '20008', positive: false }))).toEqual({
      matched: true,
    });
    expect(s.versions[0]).toMatchObject({
      outcome: 'acknowledged',
      infrastructureAck: { code: '20008', positive: false },
    });
  });

  it('a second, different negative ack on a rejected version records the code but does not alert again', () => {
    const s = withAck('infrastructure', NEGATIVE.infrastructure, false, { outcome: 'rejected' });
    expect(applyAcknowledgement(s, ack({ code: NEGATIVE.business, positive: false }))).toEqual({
      matched: true,
    });
    expect(s.versions[0]).toMatchObject({
      outcome: 'rejected',
      businessAck: { code: '30002', positive: false },
    });
    expect(s.codesReceived).toHaveLength(1);
  });

  it('a negative ack with a new code replaces an earlier negative one in its slot', () => {
    const s = withAck('business', NEGATIVE.business, false, { outcome: 'rejected' });
    applyAcknowledgement(s, ack({ code: '30003', positive: false }));
    expect(s.versions[0]?.businessAck).toEqual({ code: '30003', positive: false });
  });

  it('a positive ack after a negative one takes its slot but does not undo the rejection', () => {
    const s = withAck('business', NEGATIVE.business, false, { outcome: 'rejected' });
    expect(applyAcknowledgement(s, ack())).toEqual({ matched: true });
    expect(s.versions[0]).toMatchObject({
      outcome: 'rejected',
      businessAck: { code: '30001', positive: true },
    });
  });

  it('a positive ack with another code keeps the first positive ack in its slot', () => {
    const s = withAck('business', POSITIVE.business, true, { outcome: 'acknowledged' });
    applyAcknowledgement(s, ack({ code: '30009' }));
    expect(s.versions[0]).toMatchObject({
      outcome: 'acknowledged',
      businessAck: { code: '30001', positive: true },
    });
    expect(s.codesReceived).toEqual([expect.objectContaining({ code: '30009', positive: true })]);
  });

  it.each<[VersionOutcome]>([['rejected'], ['undeliverable']])(
    'a positive business ack leaves a %s version as it is',
    (outcome) => {
      const s = withVersions(version(1, { outcome }));
      expect(applyAcknowledgement(s, ack())).toEqual({ matched: true });
      expect(s.versions[0]).toMatchObject({ outcome, businessAck: { code: '30001', positive: true } });
    },
  );

  it.each<[VersionOutcome]>([['undeliverable'], ['abandoned']])(
    'a negative ack rejects a %s version and alerts',
    (outcome) => {
      const s = withVersions(version(1, { outcome }));
      const effect = applyAcknowledgement(s, ack({ code: NEGATIVE.business, positive: false }));
      expect(effect.alert).toEqual({
        kind: 'rejected',
        version: 1,
        detail: 'business acknowledgement 30002',
      });
      expect(s.versions[0]?.outcome).toBe('rejected');
    },
  );

  it('never adds to state.alerts or state.detail: the workflow raises the alert it returns', () => {
    const s = withVersions(version(1));
    applyAcknowledgement(s, ack({ code: NEGATIVE.business, positive: false }));
    expect(s.alerts).toEqual([]);
    expect(s.detail).toBeUndefined();
  });
});
