/** Which document a new version replaces (relatesTo), and whether a save belongs to the encounter's practice. */
import { replacedDocumentIdentifier, savedByAnotherPractice } from '../../../workflows/encounter-state';
import { snapshot, state, version, withVersions } from './fixtures';

describe('replacedDocumentIdentifier', () => {
  const negative = { code: '20010', positive: false };
  it.each([
    [
      'the last version not known to have failed',
      withVersions(version(1), version(2, { outcome: 'rejected', businessAck: negative })),
      'document-1',
    ],
    [
      'none of this run delivered, the earlier run ended well',
      state({ previousRunState: 'acknowledged', lastDocumentIdentifierBeforeRun: 'earlier' }),
      'earlier',
    ],
    [
      'none of this run delivered, the earlier run was rejected',
      state({ previousRunState: 'rejected', lastDocumentIdentifierBeforeRun: 'earlier' }),
      undefined,
    ],
    [
      'none of this run delivered, the earlier run was undeliverable',
      state({ previousRunState: 'undeliverable', lastDocumentIdentifierBeforeRun: 'earlier' }),
      undefined,
    ],
    ['no version at all', state(), undefined],
    ['a version that never reached MESH', state({ versions: [version(1, { meshMessageId: undefined, outcome: 'abandoned' })], lastDocumentIdentifierBeforeRun: 'earlier' }), 'earlier'],
  ] as const)('%s', (_name, s, expected) => {
    expect(replacedDocumentIdentifier(s)).toBe(expected);
  });
});

describe('savedByAnotherPractice', () => {
  it('compares the save’s hosting practice with the one the encounter belongs to', () => {
    const save = snapshot(2);
    expect(savedByAnotherPractice(state({ hostingPracticeOds: save.hostingPractice.odsCode }), save)).toBe(
      false,
    );
    expect(savedByAnotherPractice(state({ hostingPracticeOds: 'Y99999' }), save)).toBe(true);
  });
});
