/** Which version a save's content leaves unchanged, and what the status says of a spine-addressed version. */
import { spineNote, statusOf, unchangedVersion, withdrawalNote } from '../../../workflows/encounter-state';
import { version, withVersions } from './fixtures';

describe('unchangedVersion', () => {
  const positive = { code: '30001', positive: true };
  const negative = { code: '20010', positive: false };
  it.each([
    ['the same digest, awaiting acknowledgement', version(1, { contentDigest: 'd' }), 'd', 1],
    ['the same digest, acknowledged', version(1, { contentDigest: 'd', outcome: 'acknowledged', businessAck: positive }), 'd', 1],
    ['another digest', version(1, { contentDigest: 'd' }), 'e', undefined],
    ['no digest on the verdict', version(1, { contentDigest: 'd' }), undefined, undefined],
    ['a version built before digests', version(1), 'd', undefined],
    ['a rejected version', version(1, { contentDigest: 'd', outcome: 'rejected', businessAck: negative }), 'd', undefined],
    ['an undeliverable version', version(1, { contentDigest: 'd', outcome: 'undeliverable', meshReportCode: '14' }), 'd', undefined],
    ['a version that never reached MESH', version(1, { contentDigest: 'd', meshMessageId: undefined, outcome: 'abandoned' }), 'd', undefined],
  ] as const)('%s', (_name, v, digest, expected) => {
    expect(unchangedVersion(withVersions(v), digest)?.version).toBe(expected);
  });

  it('compares with the last version MESH accepted only', () => {
    const s = withVersions(version(1, { contentDigest: 'd' }), version(2, { contentDigest: 'e' }));
    expect(unchangedVersion(s, 'd')).toBeUndefined();
    expect(unchangedVersion(s, 'e')?.version).toBe(2);
  });
});

describe('spineNote', () => {
  it('names the fields that differ, never their values', () => {
    expect(spineNote(version(2, { spineMismatch: ['family name', 'birth date'] }))).toBe(
      "the record's family name and birth date differ from the spine's: version 2 was addressed with the spine's (MESH verifies against it)",
    );
  });

  it.each([[undefined], [[]]] as const)('says nothing when nothing differs (%p)', (fields) => {
    expect(spineNote(version(1, { spineMismatch: fields === undefined ? undefined : [...fields] }))).toBeUndefined();
  });
});

it('spineNote says "differs" of one field', () => {
  expect(spineNote(version(1, { spineMismatch: ['birth date'] }))).toBe(
    "the record's birth date differs from the spine's: version 1 was addressed with the spine's (MESH verifies against it)",
  );
});

describe('withdrawalNote', () => {
  const withdrawal = { reason: 'deleted' as const, requestedBy: 'cs-1', at: '2026-11-21T10:00:00Z' };
  it('says nothing was sent when no version reached MESH', () => {
    expect(withdrawalNote(withVersions(), withdrawal)).toBe('withdrawn at the clinical system (deleted) by cs-1: no report had been sent, and none will be');
  });
  it('is what the status says of a withdrawn encounter', () => {
    const s = { ...withVersions(version(1)), withdrawn: withdrawal, detail: 'an earlier detail' };
    expect(statusOf(s).detail).toBe(withdrawalNote(s, withdrawal));
  });
  it('names the version and the practice to contact when one was sent', () => {
    expect(withdrawalNote(withVersions(version(1), version(2)), withdrawal)).toBe(
      'withdrawn at the clinical system (deleted) by cs-1 after version 2 went to Y90002: contact that practice to withdraw it (Send Document has no withdrawal message)',
    );
  });
});
