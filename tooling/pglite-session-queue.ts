/**
 * Serialises the local stack's database connections onto PGlite's single session, one client exchange at a time.
 *
 * PGlite is one PostgreSQL backend. pglite-socket (0.2.x) multiplexes connections by queueing single protocol
 * messages and keeps a client's turn only inside an explicit transaction block, so two clients' extended-protocol
 * exchanges (Parse/Bind/Execute/Sync) interleave and one binds the other's unnamed statement (pglite issue #1046,
 * docs/architecture.md). This queue keeps the session with one client from its first message until the backend
 * answers ReadyForQuery "idle": a whole exchange, or a whole transaction (status "T"/"E" keeps the turn).
 * It has the shape of pglite-socket's internal queue, which PGLiteSocketHandler accepts as its `queryQueue`.
 */
import type { PGlite } from '@electric-sql/pglite';

interface Job {
  handlerId: number;
  message: Uint8Array;
  onData: (data: Uint8Array) => void;
  resolve: (bytes: number) => void;
  reject: (error: unknown) => void;
}

/** ReadyForQuery: 'Z', length 5, transaction status; "I" means no transaction is open. */
const READY_FOR_QUERY_IDLE = Buffer.from([0x5a, 0, 0, 0, 5, 0x49]);
/** Terminate: a client leaving. PGlite's one session must outlive it, so it never reaches PGlite (the close does). */
const TERMINATE = 0x58;
/**
 * What a client that left mid-exchange or mid-transaction leaves behind is undone by Sync (ends an extended-protocol
 * exchange) and a simple query ROLLBACK (a warning only when no transaction is open).
 */
const RESET_SESSION = Buffer.concat([Buffer.from([0x53, 0, 0, 0, 4]), simpleQuery('ROLLBACK')]);

function simpleQuery(text: string): Buffer {
  const body = Buffer.from(`${text}\0`, 'utf8');
  const header = Buffer.alloc(5);
  header.write('Q', 0, 'ascii');
  header.writeInt32BE(4 + body.length, 1);
  return Buffer.concat([header, body]);
}

export class PgliteSessionQueue {
  private readonly jobs: Job[] = [];
  /** The client whose exchange or transaction holds the session, if any. */
  private owner: number | undefined;
  private running = false;

  constructor(private readonly db: PGlite) {}

  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    if (message[0] === TERMINATE) return Promise.resolve(0);
    return new Promise((resolve, reject) => {
      this.jobs.push({ handlerId, message, onData, resolve, reject });
      void this.pump();
    });
  }

  getQueueLength(): number {
    return this.jobs.length;
  }

  clearQueueForHandler(handlerId: number): void {
    for (const job of this.jobs.filter((j) => j.handlerId === handlerId)) {
      this.jobs.splice(this.jobs.indexOf(job), 1);
      job.reject(new Error('client disconnected'));
    }
  }

  /** A client that left mid-exchange or mid-transaction gives the session back clean. */
  async clearTransactionIfNeeded(handlerId: number): Promise<void> {
    if (this.owner !== handlerId) return;
    // Raw protocol under the session lock: PGlite's exec() takes that lock itself.
    await this.db.runExclusive(() => this.db.execProtocolRaw(RESET_SESSION));
    this.owner = undefined;
    void this.pump();
  }

  private async pump(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (let job = this.nextJob(); job; job = this.nextJob()) await this.run(job);
    } finally {
      this.running = false;
    }
  }

  private nextJob(): Job | undefined {
    const index = this.owner === undefined ? 0 : this.jobs.findIndex((job) => job.handlerId === this.owner);
    return index < 0 ? undefined : this.jobs.splice(index, 1)[0];
  }

  private async run(job: Job): Promise<void> {
    this.owner = job.handlerId;
    let bytes = 0;
    let tail = Buffer.alloc(0);
    try {
      await this.db.runExclusive(() =>
        this.db.execProtocolRawStream(job.message, {
          onRawData: (data) => {
            bytes += data.length;
            tail = Buffer.concat([tail, data]).subarray(-READY_FOR_QUERY_IDLE.length);
            job.onData(data);
          },
        }),
      );
      job.resolve(bytes);
    } catch (error) {
      // One failed message must not stall the others: the session is released below as after any exchange.
      tail = READY_FOR_QUERY_IDLE;
      job.reject(error);
    }
    if (tail.equals(READY_FOR_QUERY_IDLE)) this.owner = undefined;
  }
}
