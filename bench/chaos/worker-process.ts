/**
 * The fedreport worker as its own process (`worker/main.ts`, configured only by environment, as in production), with
 * the two things chaos needs: kill -9 at any moment, and a supervisor that restarts it when it dies on its own (as
 * systemd or Kubernetes would), counting both.
 */
import path from 'node:path';
import { PROJECT_ROOT } from '../../tooling/paths';
import { startProcess, type ManagedProcess } from '../../tooling/processes';

/** A worker that keeps dying on its own is a finding, not something to restart forever. */
const MAX_UNEXPECTED_RESTARTS = 20;
const RESTART_DELAY_MS = 1_000;

export interface WorkerProcessCounts {
  starts: number;
  kills: number;
  /** Exits nobody asked for (e.g. the worker gave up on an unreachable Temporal server), each followed by a restart. */
  unexpectedExits: number;
}

export class WorkerProcess {
  private current: ManagedProcess | undefined;
  private readonly counts: WorkerProcessCounts = { starts: 0, kills: 0, unexpectedExits: 0 };
  private restartTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly env: NodeJS.ProcessEnv,
    private readonly logFile: string,
  ) {}

  get running(): boolean {
    return this.current !== undefined;
  }

  stats(): WorkerProcessCounts {
    return { ...this.counts };
  }

  start(): void {
    if (this.current || this.closed) return;
    const proc = startProcess({
      name: 'fedreport worker',
      command: process.execPath,
      args: [require.resolve('tsx/cli'), path.join(PROJECT_ROOT, 'worker', 'main.ts')],
      env: this.env,
      logFile: this.logFile,
    });
    this.counts.starts += 1;
    this.current = proc;
    proc.child.once('exit', () => {
      if (this.current !== proc) return; // killed on purpose: kill() already forgot it
      this.current = undefined;
      this.counts.unexpectedExits += 1;
      if (this.closed || this.counts.unexpectedExits > MAX_UNEXPECTED_RESTARTS) return;
      this.restartTimer = setTimeout(() => this.start(), RESTART_DELAY_MS);
    });
  }

  /** SIGKILL to the whole process group: no drain, no shutdown hook, in-flight activities just stop. */
  async kill(): Promise<void> {
    const proc = this.current;
    if (!proc) return;
    this.current = undefined;
    this.counts.kills += 1;
    const exited = new Promise<void>((resolve) => proc.child.once('exit', () => resolve()));
    if (proc.child.pid !== undefined && proc.child.exitCode === null) {
      try {
        process.kill(-proc.child.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
      await exited;
    }
  }

  /** Graceful stop (SIGTERM: the worker drains), no restart afterwards. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.restartTimer);
    const proc = this.current;
    this.current = undefined;
    await proc?.stop(15_000);
  }
}
