/**
 * The alert model every alert follows: one open alert per problem, named by a stable key; a repeat while it is open
 * is an update of the same key with a count; a resolved notice when its cause clears. Keys are built from workflow
 * ids (encounter GUIDs, mailbox ids, ODS codes) and kinds, never from patient data. Pure, so workflows use it too.
 */

export const ALERT_STATUSES = ['open', 'updated', 'resolved'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

/** Where an alert stands in its life: receivers group by `key` and close on `resolved`. */
export interface AlertLifecycle {
  key: string;
  status: AlertStatus;
  /** Occurrences of the problem while this key was open (1 when it opens; a resolved notice keeps the last). */
  count: number;
}

/** `<subject>/<kind>`: the subject is a workflow id or mailbox/practice id, so the key carries no PHI. */
export function alertKey(subject: string, kind: string): string {
  return `${subject}/${kind}`;
}

/** A backlog (unacknowledged reports, quarantined messages) while its alert is open. */
export interface OpenBacklog {
  /** The size the last notice reported. */
  size: number;
  /** Notices sent under this key: the open one and each growth. */
  count: number;
}

/** What a new backlog size means for its alert, and the backlog to remember (undefined once it is closed). */
export interface BacklogChange {
  status?: AlertStatus;
  open?: OpenBacklog;
}

/**
 * Above the threshold an alert opens; growing further while open, it is updated; at or below the threshold again,
 * it is resolved. A backlog that holds or shrinks while still above says nothing new.
 */
export function backlogChange(open: OpenBacklog | undefined, size: number, threshold: number): BacklogChange {
  if (size <= threshold) return open ? { status: 'resolved', open: undefined } : {};
  if (!open) return { status: 'open', open: { size, count: 1 } };
  if (size <= open.size) return { open };
  return { status: 'updated', open: { size, count: open.count + 1 } };
}

/** A backlog's size and the threshold it is judged by, as a backlog alert carries them. */
export interface BacklogSize {
  size: number;
  threshold: number;
}

/** The subject of a mailbox's alerts, for alertKey. */
export const mailboxSubject = (mailbox: string): string => `mailbox-${mailbox.toUpperCase()}`;
/** The subject of a practice's alerts, for alertKey. */
export const practiceSubject = (practiceOds: string): string => `practice-${practiceOds.toUpperCase()}`;

/** What a backlog notice says: `what` names the backlog ("MESH message(s) in quarantine"). */
export function backlogDetail(what: string, { size, threshold }: BacklogSize, status: AlertStatus): string {
  const said = `${size} ${what}`;
  return status === 'resolved' ? `${said}: back at or under the threshold of ${threshold}` : `${said}: over the threshold of ${threshold}`;
}

/** A backlog alert's notice: its lifecycle, what it says, and the size it is about. */
export interface BacklogNotice extends AlertLifecycle {
  detail: string;
  backlog: BacklogSize;
}

/** The notice a new backlog size calls for under `key` (none when nothing changed), and the backlog to remember. */
export function backlogNotice(
  key: string,
  open: OpenBacklog | undefined,
  backlog: BacklogSize,
  what: string,
): { notice?: BacklogNotice; open?: OpenBacklog } {
  const change = backlogChange(open, backlog.size, backlog.threshold);
  if (!change.status) return { open: change.open };
  const count = change.open?.count ?? open?.count ?? 1;
  return { open: change.open, notice: { key, status: change.status, count, detail: backlogDetail(what, backlog, change.status), backlog } };
}
