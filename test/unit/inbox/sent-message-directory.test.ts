import { SentMessageDirectory } from '../../../activities/inbox/sent-message-directory';

describe('the directory of sent messages', () => {
  it('answers which encounter sent a MessageHeader id, and nothing for one it never saw', () => {
    const directory = new SentMessageDirectory();
    directory.remember('7c9e6679-7425-40de-944b-e07fc1f90ae7', 'encounter-a');
    expect(directory.workflowIdFor('7c9e6679-7425-40de-944b-e07fc1f90ae7')).toBe('encounter-a');
    expect(directory.workflowIdFor('16fd2706-8baf-433b-82eb-8c7fada847da')).toBeUndefined();
  });

  it('stays within its capacity by forgetting the least recently remembered', () => {
    const directory = new SentMessageDirectory(2);
    directory.remember('m1', 'encounter-1');
    directory.remember('m2', 'encounter-2');
    directory.remember('m1', 'encounter-1'); // remembered again: now the most recent
    directory.remember('m3', 'encounter-3');
    expect(directory.workflowIdFor('m2')).toBeUndefined();
    expect([directory.workflowIdFor('m1'), directory.workflowIdFor('m3')]).toEqual([
      'encounter-1',
      'encounter-3',
    ]);
  });
});

describe('the directory of sent MESH message ids', () => {
  it('answers which encounter a MESH message id (a REPORT’s mex-linkedmsgid) belongs to', () => {
    const directory = new SentMessageDirectory();
    directory.rememberMeshMessage('20240101120000123456_ABCDEF', 'encounter-a');
    expect(directory.workflowIdForMeshMessage('20240101120000123456_ABCDEF')).toBe('encounter-a');
    expect(directory.workflowIdForMeshMessage('OTHER')).toBeUndefined();
    expect(directory.workflowIdFor('20240101120000123456_ABCDEF')).toBeUndefined();
  });
});
