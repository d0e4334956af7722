/** applyMeshReport: a MESH REPORT marks a sent version undeliverable, records what its code means and alerts. */
import { MESH_REPORT_CLASS_TEXT, type MeshReportClass } from '../../../domain/mesh-report';
import { applyMeshReport, type VersionOutcome } from '../../../workflows/encounter-state';
import { copy, meshReport, RECEIVED_AT, version, withVersions } from './fixtures';

describe('applyMeshReport', () => {
  it('does not match an unknown MESH message id: records the code against version 0 and changes no version', () => {
    const s = withVersions(version(1));
    const before = copy(s);
    expect(applyMeshReport(s, meshReport({ meshMessageId: 'mesh-unknown' }))).toEqual({ matched: false });
    expect(s.versions).toEqual(before.versions);
    expect(s.codesReceived).toEqual([{ version: 0, source: 'mesh-report', code: '14', positive: false, at: RECEIVED_AT }]);
  });

  it('does not match a version that never reached MESH', () => {
    const s = withVersions(version(1, { meshMessageId: undefined, outcome: 'sending' }));
    expect(applyMeshReport(s, meshReport())).toEqual({ matched: false });
    expect(s.versions[0]?.outcome).toBe('sending');
  });

  it('matches the version by its MESH message id', () => {
    const s = withVersions(version(1), version(2));
    applyMeshReport(s, meshReport({ meshMessageId: 'mesh-2' }));
    expect(s.versions.map((v) => v.outcome)).toEqual(['awaiting-acknowledgement', 'undeliverable']);
  });

  it.each<[string, string, MeshReportClass]>([
    ['expired', '14', 'expired'],
    ['EPL routing failure', 'EPL-151', 'routing-failure'],
    ['lower case with spaces', ' epl-153 ', 'routing-failure'],
    ['unregistered recipient', '12', 'undelivered'],
    ['unknown code', '99', 'other'],
  ])(
    'classifies a report without a classification (older signal) from its code: %s',
    (_name, statusCode, expected) => {
      const s = withVersions(version(1));
      const effect = applyMeshReport(s, meshReport({ statusCode }));
      expect(s.versions[0]?.meshReportClass).toBe(expected);
      expect(effect.alert?.detail).toBe(`MESH report ${statusCode}, ${MESH_REPORT_CLASS_TEXT[expected]}`);
    },
  );

  it('trusts the classification the inbox sent over its own reading of the code', () => {
    const s = withVersions(version(1));
    const effect = applyMeshReport(s, meshReport({ statusCode: '14', classification: 'routing-failure' }));
    expect(s.versions[0]?.meshReportClass).toBe('routing-failure');
    expect(effect.alert?.detail).toBe(`MESH report 14, ${MESH_REPORT_CLASS_TEXT['routing-failure']}`);
  });

  it.each<[VersionOutcome]>([['sending'], ['awaiting-acknowledgement'], ['rejected'], ['abandoned']])(
    'makes a %s version undeliverable and alerts',
    (outcome) => {
      const s = withVersions(version(2, { meshMessageId: 'mesh-1', outcome }));
      const effect = applyMeshReport(s, meshReport({ classification: 'expired' }));
      expect(effect).toEqual({
        matched: true,
        alert: {
          kind: 'undeliverable',
          version: 2,
          detail: `MESH report 14, ${MESH_REPORT_CLASS_TEXT.expired}`,
        },
      });
      expect(s.versions[0]).toMatchObject({
        outcome: 'undeliverable',
        meshReportCode: '14',
        meshReportClass: 'expired',
      });
    },
  );

  it('puts the alert detail, with the description, in the state detail', () => {
    const s = withVersions(version(1));
    const effect = applyMeshReport(
      s,
      meshReport({ statusCode: '16', description: 'Sender not allowed this workflow' }),
    );
    const detail = `MESH report 16, ${MESH_REPORT_CLASS_TEXT.undelivered} (Sender not allowed this workflow)`;
    expect(effect.alert?.detail).toBe(detail);
    expect(s.detail).toBe(detail);
  });

  it('lists the report among the codes received, as a negative code', () => {
    const s = withVersions(version(1));
    applyMeshReport(s, meshReport());
    expect(s.codesReceived).toEqual([
      { version: 1, source: 'mesh-report', code: '14', positive: false, at: RECEIVED_AT },
    ]);
  });

  it('after a business ack records the code and class but neither alerts nor changes outcome or detail', () => {
    const s = withVersions(
      version(1, { outcome: 'acknowledged', businessAck: { code: '30001', positive: true } }),
    );
    s.detail = 'before';
    expect(applyMeshReport(s, meshReport({ statusCode: 'EPL-150' }))).toEqual({ matched: true });
    expect(s.versions[0]).toMatchObject({
      outcome: 'acknowledged',
      meshReportCode: 'EPL-150',
      meshReportClass: 'routing-failure',
    });
    expect(s.codesReceived).toHaveLength(1);
    expect(s.detail).toBe('before');
  });

  it('ignores a duplicate REPORT with the same code: no code listed, no alert', () => {
    const s = withVersions(
      version(1, { outcome: 'undeliverable', meshReportCode: '14', meshReportClass: 'expired' }),
    );
    const before = copy(s);
    expect(applyMeshReport(s, meshReport({ statusCode: '14' }))).toEqual({ matched: true });
    expect(s).toEqual(before);
  });

  it('a REPORT with a different code on an undeliverable version replaces the code and alerts again', () => {
    const s = withVersions(
      version(1, { outcome: 'undeliverable', meshReportCode: '14', meshReportClass: 'expired' }),
    );
    const effect = applyMeshReport(s, meshReport({ statusCode: '17' }));
    expect(effect.alert?.kind).toBe('undeliverable');
    expect(s.versions[0]).toMatchObject({ meshReportCode: '17', meshReportClass: 'undelivered' });
  });

  it('never adds to state.alerts: the workflow raises the alert it returns', () => {
    const s = withVersions(version(1));
    applyMeshReport(s, meshReport());
    expect(s.alerts).toEqual([]);
  });
});
