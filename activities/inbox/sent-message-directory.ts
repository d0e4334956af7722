/**
 * Which encounter workflow sent the report with a given MessageHeader id (also its Mex-LocalID) or MESH message id,
 * as this worker process knows it: filled when a report is sent and when the Temporal visibility API answers a
 * lookup. The two ITK3 acks (and any MESH report) of a report are then routed without a visibility query, each of
 * which is a database query on the Temporal server. A miss (another worker sent it, or this one restarted) falls back
 * to the ReportMessageIds search attribute, so the directory only saves work and never decides anything on its own.
 */
export class SentMessageDirectory {
  private readonly byMessageHeaderId: BoundedMap;
  private readonly byMeshMessageId: BoundedMap;

  /** Bounded: at the default, about 5 MB per map, and several days of a large federation's reports. */
  constructor(capacity = 50_000) {
    this.byMessageHeaderId = new BoundedMap(capacity);
    this.byMeshMessageId = new BoundedMap(capacity);
  }

  remember(messageHeaderId: string, workflowId: string): void {
    this.byMessageHeaderId.set(messageHeaderId, workflowId);
  }

  workflowIdFor(messageHeaderId: string): string | undefined {
    return this.byMessageHeaderId.get(messageHeaderId);
  }

  /** The MESH message id MESH gave a send: how a MESH REPORT (mex-linkedmsgid) finds its encounter first. */
  rememberMeshMessage(meshMessageId: string, workflowId: string): void {
    this.byMeshMessageId.set(meshMessageId, workflowId);
  }

  workflowIdForMeshMessage(meshMessageId: string): string | undefined {
    return this.byMeshMessageId.get(meshMessageId);
  }
}

/** A map that forgets its least recently set entry beyond its capacity. */
class BoundedMap {
  private readonly entries = new Map<string, string>();

  constructor(private readonly capacity: number) {}

  set(key: string, value: string): void {
    // Re-inserting moves the entry to the end: the map's order is least recently set first.
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
  }

  get(key: string): string | undefined {
    return this.entries.get(key);
  }
}
