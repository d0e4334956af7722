/** What the MESH inbox workflow needs from the outside world (ports); adapters live in activities/inbox/. */
import type { AlertLifecycle, BacklogSize } from '../domain/alerts';

export interface InboxPollSummary {
  downloaded: number;
  /** ITK3 acknowledgements signalled to their encounter. */
  acknowledgements: number;
  /** MESH REPORT messages signalled to their encounter. */
  reports: number;
  /** Send Document messages handed to their received-message workflow (the receiving side). */
  documents?: number;
  /** Unreadable, unmatched, too large or failing messages kept for operators (acknowledged in MESH when safe). */
  quarantined: number;
  /** Readable but not (yet) matched to an encounter: left in the inbox for the next poll. */
  unmatched: number;
  /** Failed this poll; tried again at the next one, within the attempt budget. */
  retrying?: number;
  /** Listed under our workflows but not ours to take (e.g. reports for the practice's own system): left unread. */
  leftForOthers?: number;
}

/** A poll that found nothing; totals start here. */
export const EMPTY_POLL_SUMMARY: Required<InboxPollSummary> = {
  downloaded: 0,
  acknowledgements: 0,
  reports: 0,
  documents: 0,
  quarantined: 0,
  unmatched: 0,
  retrying: 0,
  leftForOthers: 0,
};

/** One message's failed attempts so far, kept in the inbox workflow's state so the count survives polls and restarts. */
export interface MessageAttempts {
  count: number;
  /** Why the last attempt failed (PHI-free). */
  lastError?: string;
  /** When an answer was first seen unmatched (epoch ms): its grace period runs from here if MESH gave no time. */
  firstSeenAt?: number;
  /** Quarantined but left in the inbox (it could not be read): skipped until it leaves the inbox or is replayed. */
  held?: boolean;
}

/** By MESH message id; only messages still in the inbox are kept. */
export type InboxAttempts = Record<string, MessageAttempts>;

export type InboxAlertKind = 'inbox-quarantined' | 'inbox-poll-failing' | 'quarantine-backlog';

/**
 * An operator alert about a mailbox rather than an encounter. PHI-free: mailbox, MESH ids, codes, reasons. Only the
 * quarantine backlog carries its lifecycle; the others are each one event (the sink gives them a key).
 */
export interface InboxAlert extends Partial<AlertLifecycle> {
  kind: InboxAlertKind;
  mailbox: string;
  meshMessageId?: string;
  detail: string;
  backlog?: BacklogSize;
}

export interface InboxPollResult extends InboxPollSummary {
  attempts: InboxAttempts;
  /** Raised by the workflow through raiseInboxAlert, so an alert sink that is down delays nothing else. */
  alerts: InboxAlert[];
  /** The mailbox's quarantined messages after the poll and the alert threshold (absent in older results). */
  quarantineBacklog?: BacklogSize;
}

export interface ReplayOutcome {
  outcome: 'routed' | 'still-quarantined' | 'not-found';
  detail: string;
}

export interface InboxActivities {
  /** Older runs call it with the mailbox alone and read only the summary. */
  processInbox(input: { mailbox: string; attempts?: InboxAttempts }): Promise<InboxPollResult>;
  handshakeMailbox(input: { mailbox: string }): Promise<void>;
  /** Processes a quarantined message again (its cause fixed); removed from quarantine when it reaches its report. */
  replayQuarantined(input: {
    mailbox: string;
    messageId: string;
    requestedBy: string;
  }): Promise<ReplayOutcome>;
  raiseInboxAlert(alert: InboxAlert): Promise<void>;
}
