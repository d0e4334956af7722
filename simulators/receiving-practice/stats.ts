/**
 * Counters tests and the chaos suite read (through stats() or GET /stats) to prove what reached the practice, e.g.
 * "exactly one message per report version". Keyed by mailbox and ITK3 code only: no patient data.
 */

export interface MailboxCounters {
  /** DATA messages downloaded for answering, duplicates and invalid ones included. */
  received: number;
  /** Messages whose MessageHeader id had already been received (answered 20007). */
  duplicates: number;
  /** Messages rejected by validation (a negative infrastructure code). */
  invalid: number;
  /** Messages the policy left without an answer (mode `none`). */
  unanswered: number;
  /** MESH REPORTs and acknowledgements (workflow `…_ACK`): taken off the inbox, never answered. */
  ignored: number;
  /** Messages taken off the inbox (acknowledged in MESH) once answered; ignored ones included. */
  acknowledged: number;
}

export interface SimulatorStats {
  mailboxes: Record<string, MailboxCounters>;
  /** Acknowledgements MESH accepted, by ITK3 code. */
  acksSent: Record<string, number>;
  /** Acknowledgements MESH refused or that could not be sent (e.g. source.endpoint names no mailbox). */
  ackFailures: number;
  /** Inbox polls, downloads or MESH acknowledgements that failed (retried on the next poll). */
  pollErrors: number;
  /** Delayed answers waiting for their time. */
  pendingAnswers: number;
}

export class SimulatorCounters {
  private readonly mailboxes = new Map<string, MailboxCounters>();
  private readonly acksSent = new Map<string, number>();
  private ackFailures = 0;
  private pollErrors = 0;
  private pendingAnswers = 0;

  constructor(mailboxes: readonly string[]) {
    for (const mailbox of mailboxes) this.mailboxes.set(mailbox, emptyMailboxCounters());
  }

  count(mailbox: string, event: keyof MailboxCounters): void {
    const counters = this.mailboxes.get(mailbox) ?? emptyMailboxCounters();
    counters[event] += 1;
    this.mailboxes.set(mailbox, counters);
  }

  ackSent(code: string): void {
    this.acksSent.set(code, (this.acksSent.get(code) ?? 0) + 1);
  }

  ackFailed(): void {
    this.ackFailures += 1;
  }

  pollFailed(): void {
    this.pollErrors += 1;
  }

  answerPending(change: 1 | -1): void {
    this.pendingAnswers += change;
  }

  /** A copy: callers may keep it to compare with a later one. */
  snapshot(): SimulatorStats {
    return {
      mailboxes: Object.fromEntries([...this.mailboxes].map(([id, counters]) => [id, { ...counters }])),
      acksSent: Object.fromEntries(this.acksSent),
      ackFailures: this.ackFailures,
      pollErrors: this.pollErrors,
      pendingAnswers: this.pendingAnswers,
    };
  }
}

function emptyMailboxCounters(): MailboxCounters {
  return { received: 0, duplicates: 0, invalid: 0, unanswered: 0, ignored: 0, acknowledged: 0 };
}
