/**
 * Which encounter workflow sent the report with a given MessageHeader id (also its Mex-LocalID), as this worker
 * process knows it: filled when a report is sent and when the Temporal visibility API answers a lookup. The two ITK3
 * acks (and any MESH report) of a report are then routed without a visibility query, each of which is a database
 * query on the Temporal server. A miss (another worker sent it, or this one restarted) falls back to the
 * ReportMessageIds search attribute, so the directory only saves work and never decides anything on its own.
 */
export class SentMessageDirectory {
  private readonly workflowIds = new Map<string, string>();

  /** Bounded: at the default, about 5 MB, and several days of a large federation's reports. */
  constructor(private readonly capacity = 50_000) {}

  remember(messageHeaderId: string, workflowId: string): void {
    // Re-inserting moves the entry to the end: the map's order is least recently remembered first.
    this.workflowIds.delete(messageHeaderId);
    this.workflowIds.set(messageHeaderId, workflowId);
    if (this.workflowIds.size > this.capacity) {
      const oldest = this.workflowIds.keys().next();
      if (!oldest.done) this.workflowIds.delete(oldest.value);
    }
  }

  workflowIdFor(messageHeaderId: string): string | undefined {
    return this.workflowIds.get(messageHeaderId);
  }
}
