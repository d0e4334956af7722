/**
 * How answers find their report beyond the quoted MessageHeader id: UNREADABLE answers, REPORTs by local id, late
 * answers for the earlier run's last version, and answers from another organisation than the registered practice.
 */
import { applyAcknowledgement, applyMeshReport, reportState, statusOf } from '../../../workflows/encounter-state';
import { ack, meshReport, RECEIVED_AT, state, version, withVersions } from './fixtures';

/** A run that began after an earlier one ended in `previousRunState` with version 3 (header-3). */
const afterEarlierRun = (previousRunState: 'awaiting-acknowledgement' | 'acknowledged' = 'awaiting-acknowledgement') =>
  state({ versionOffset: 3, lastMessageHeaderIdBeforeRun: 'header-3', previousRunState });

describe('UNREADABLE answers (10009)', () => {
  it('apply to the last version MESH accepted', () => {
    const s = withVersions(version(1), version(2), version(3, { meshMessageId: undefined, outcome: 'sending' }));
    const effect = applyAcknowledgement(s, ack({ messageHeaderId: 'UNREADABLE', unreadableOriginal: true, code: '10009', positive: false, kind: 'infrastructure' }));
    expect(effect).toMatchObject({ matched: true, alert: { kind: 'rejected', version: 2 } });
    expect(s.versions.map((v) => v.outcome)).toEqual(['awaiting-acknowledgement', 'rejected', 'sending']);
  });

  it('match nothing when no version reached MESH', () => {
    const s = withVersions(version(1, { meshMessageId: undefined, outcome: 'sending' }));
    expect(applyAcknowledgement(s, ack({ messageHeaderId: 'UNREADABLE', unreadableOriginal: true }))).toEqual({ matched: false });
  });
});

describe('MESH REPORTs', () => {
  it.each([
    ['our MessageHeader id', 'header-2'],
    ['the version local id', 'local-2'],
  ])('match by Mex-LocalID (%s) when the MESH message id is a placeholder', (_name, localId) => {
    const s = withVersions(version(1), version(2, { meshMessageId: 'local:header-2' }));
    const effect = applyMeshReport(s, meshReport({ meshMessageId: 'mesh-linked', localId, statusCode: 'EPL-153' }));
    expect(effect).toMatchObject({ matched: true, alert: { kind: 'undeliverable', version: 2 } });
    expect(s.versions[1]).toMatchObject({ outcome: 'undeliverable', meshReportClass: 'routing-failure' });
  });
});

describe('answers for the earlier run', () => {
  it('a business ack for its last version acknowledges what this run inherited', () => {
    const s = afterEarlierRun();
    expect(reportState(s)).toBe('awaiting-acknowledgement');
    expect(applyAcknowledgement(s, ack({ messageHeaderId: 'header-3' }))).toEqual({ matched: true });
    expect(reportState(s)).toBe('acknowledged');
    expect(s.codesReceived).toEqual([{ version: 3, source: 'itk3-business', code: '30001', positive: true, at: RECEIVED_AT }]);
  });

  it('a negative ack rejects it with an alert', () => {
    const s = afterEarlierRun();
    const effect = applyAcknowledgement(s, ack({ messageHeaderId: 'header-3', positive: false, code: '20010' }));
    expect(effect).toEqual({ matched: true, alert: { kind: 'rejected', version: 3, detail: 'business acknowledgement 20010' } });
    expect(reportState(s)).toBe('rejected');
  });

  it('a REPORT by local id makes it undeliverable, unless it was acknowledged', () => {
    const pending = afterEarlierRun();
    expect(applyMeshReport(pending, meshReport({ meshMessageId: 'mesh-x', localId: 'header-3' }))).toMatchObject({ matched: true, alert: { kind: 'undeliverable', version: 3 } });
    expect(reportState(pending)).toBe('undeliverable');
    const acknowledged = afterEarlierRun('acknowledged');
    expect(applyMeshReport(acknowledged, meshReport({ meshMessageId: 'mesh-x', localId: 'header-3' }))).toEqual({ matched: true });
    expect(reportState(acknowledged)).toBe('acknowledged');
  });

  it('a positive infrastructure ack is recorded and changes no state', () => {
    const s = afterEarlierRun();
    expect(applyAcknowledgement(s, ack({ messageHeaderId: 'header-3', kind: 'infrastructure' }))).toEqual({ matched: true });
    expect(reportState(s)).toBe('awaiting-acknowledgement');
  });

  it('the status names the earlier run’s last MessageHeader id until this run sends', () => {
    expect(statusOf(afterEarlierRun()).lastMessageHeaderId).toBe('header-3');
  });

  it('a redelivered answer is recorded once', () => {
    const s = afterEarlierRun();
    applyAcknowledgement(s, ack({ messageHeaderId: 'header-3' }));
    applyAcknowledgement(s, ack({ messageHeaderId: 'header-3' }));
    expect(s.codesReceived).toHaveLength(1);
  });
});

describe('who answered', () => {
  it('an ack from another ODS code settles the version and alerts', () => {
    const s = withVersions(version(1));
    const effect = applyAcknowledgement(s, ack({ responderOds: 'Y90009', senderMailbox: 'X26ABC3' }));
    expect(effect).toEqual({
      matched: true,
      alert: { kind: 'unexpected-responder', version: 1, detail: 'business acknowledgement 30001 answered by ODS Y90009 (mailbox X26ABC3), not the registered practice Y90002' },
    });
    expect(s.versions[0]!.outcome).toBe('acknowledged');
  });

  it('a rejection from another ODS code says so in the rejection alert', () => {
    const s = withVersions(version(1));
    const effect = applyAcknowledgement(s, ack({ responderOds: 'Y90009', positive: false, code: '20010' }));
    expect(effect.alert).toEqual({ kind: 'rejected', version: 1, detail: 'business acknowledgement 20010, answered by ODS Y90009, not the registered practice Y90002' });
  });

  it('an ack from the registered practice, in any case, raises nothing', () => {
    expect(applyAcknowledgement(withVersions(version(1)), ack({ responderOds: 'y90002' }))).toEqual({ matched: true });
  });
});
