/**
 * The backlog rule of the alert model (domain/alerts.ts): open above the threshold, updated only as it grows, resolved
 * at or under it again.
 */
import { alertKey, backlogNotice, mailboxSubject, practiceSubject } from '../../../domain/alerts';

describe('a backlog alert', () => {
  const key = 'mailbox-X26ABC1/quarantine-backlog';
  const what = 'MESH message(s) in quarantine';

  it('opens above the threshold, updates as it grows, says nothing while it holds or shrinks, and resolves under it', () => {
    const sizes = [10, 11, 11, 14, 12, 10, 4];
    let open;
    const notices = [];
    for (const size of sizes) {
      const next = backlogNotice(key, open, { size, threshold: 10 }, what);
      open = next.open;
      notices.push(
        next.notice && { status: next.notice.status, count: next.notice.count, detail: next.notice.detail },
      );
    }
    expect(notices).toEqual([
      undefined,
      { status: 'open', count: 1, detail: '11 MESH message(s) in quarantine: over the threshold of 10' },
      undefined,
      { status: 'updated', count: 2, detail: '14 MESH message(s) in quarantine: over the threshold of 10' },
      undefined,
      {
        status: 'resolved',
        count: 2,
        detail: '10 MESH message(s) in quarantine: back at or under the threshold of 10',
      },
      undefined,
    ]);
    expect(open).toBeUndefined();
  });
});

describe('alert keys', () => {
  it('are a subject and a kind; mailbox and practice subjects in upper case, carrying no patient data', () => {
    expect(alertKey(mailboxSubject('x26abc1'), 'quarantine-backlog')).toBe(
      'mailbox-X26ABC1/quarantine-backlog',
    );
    expect(alertKey(practiceSubject('y90001'), 'unacknowledged-backlog')).toBe(
      'practice-Y90001/unacknowledged-backlog',
    );
  });

  it('a backlog at or under its threshold with no alert open says nothing', () => {
    expect(backlogNotice('k', undefined, { size: 3, threshold: 10 }, 'things')).toEqual({ open: undefined });
  });
});
