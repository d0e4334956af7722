/** What the MESH inbox workflow needs from the outside world (ports); adapters live in activities/inbox/. */
export interface InboxPollSummary {
  downloaded: number;
  /** ITK3 acknowledgements signalled to their encounter. */
  acknowledgements: number;
  /** MESH REPORT messages signalled to their encounter. */
  reports: number;
  /** Unreadable or unexpected messages kept for operators and acknowledged so they never block the inbox. */
  quarantined: number;
  /** Readable but not (yet) matched to an encounter: left in the inbox for the next poll. */
  unmatched: number;
}

export interface InboxActivities {
  processInbox(input: { mailbox: string }): Promise<InboxPollSummary>;
  handshakeMailbox(input: { mailbox: string }): Promise<void>;
}
