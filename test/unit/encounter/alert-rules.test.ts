/**
 * When an encounter's open alert clears (workflows/encounter-alerts.ts): the rules the workflow applies after every
 * transition, on states built directly.
 */
import { noteAlert, takeCleared, takeKind } from '../../../workflows/encounter-alerts';
import { applyAcknowledgement, applyMeshReport } from '../../../workflows/encounter-state';
import { ack, meshReport, state, version, withVersions } from './fixtures';

describe('an encounter’s open alerts', () => {
  it('a configuration alert holds while the encounter waits again, until the settings load', () => {
    const s = state({ phase: 'needs-attention' });
    noteAlert(s, 'configuration', 0, 'practice settings unavailable');
    s.phase = 'waiting'; // an operator's resend: the settings are tried again
    expect(takeCleared(s)).toEqual([]);
    expect(noteAlert(s, 'configuration', 0, 'practice settings unavailable')).toMatchObject({ status: 'updated', count: 2 });
    expect(takeKind(s, 'configuration', 'cleared: the practice settings loaded')).toEqual([
      { key: 'encounter-enc-0001/configuration', status: 'resolved', count: 2, kind: 'configuration', version: 0, detail: 'cleared: the practice settings loaded' },
    ]);
    expect(s.openAlerts).toEqual([]);
  });

  it('an undeliverable version’s alert holds until a newer version replaces it', () => {
    const s = withVersions(version(1));
    applyMeshReport(s, meshReport());
    noteAlert(s, 'undeliverable', 1, 'MESH report 14');
    expect(takeCleared(s)).toEqual([]);
    s.versions.push(version(2));
    expect(takeCleared(s)).toEqual([expect.objectContaining({ kind: 'undeliverable', status: 'resolved', detail: 'cleared: the encounter is now awaiting-acknowledgement' })]);
  });

  it('a business acknowledgement clears a missing infrastructure acknowledgement too', () => {
    const s = withVersions(version(1));
    noteAlert(s, 'missing-infrastructure-ack', 1, 'no infrastructure acknowledgement within 240 minutes of sending');
    applyAcknowledgement(s, ack({ kind: 'business', code: '30001' }));
    expect(takeCleared(s).map((n) => [n.kind, n.status])).toEqual([['missing-infrastructure-ack', 'resolved']]);
  });

  it('a single-event alert stays open until an operator resolves the encounter', () => {
    const s = withVersions(version(1));
    noteAlert(s, 'unexpected-responder', 1, 'answered by ODS Y90009');
    expect(takeCleared(s)).toEqual([]);
    s.versions[0]!.outcome = 'abandoned'; // what an operator's resolve leaves
    expect(takeCleared(s).map((n) => n.kind)).toEqual(['unexpected-responder']);
  });
});
