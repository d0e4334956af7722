/**
 * Scale: 10,000 consultations (1,000 with --quick) waiting in their quiet period at once on one worker, which runs
 * as its own process (worker/main.ts, configured by environment, prebuilt bundle) so its RSS is its own. Reports the
 * worker's RSS with all of them waiting, the server database bytes per consultation (SQLite file and WAL, growth ÷ N),
 * and timer lateness when they fire: the eligibility activity's scheduling time in each history against savedAt +
 * quiet period. Targets: RSS ≤ 1 GB, p99 lateness ≤ 2 s. Baseline in the same run: the idle worker's RSS.
 * The patient is registered at the hosting practice, so each encounter ends at the eligibility check (not required):
 * this bench is about waiting and firing; sending is the throughput bench's. `npm run bench -- scale [--quick]`.
 */
import fs from 'node:fs';
import os from 'node:os';
import { submitConsultationSaved } from '../client/encounters';
import type { ConsultationSnapshot } from '../domain/snapshot';
import { SYNTHETIC_PATIENTS } from '../simulators/pds/patients';
import { encounterWorkflowId } from '../workflows/encounter-identity';
import type { BenchRow } from './results';
import { benchConsultation, benchRecipientMailboxes, forEachBounded, SUBMIT_CONCURRENCY, waitUntil } from './support/consultations';
import { eventTimeMs, historyEvents } from './support/histories';
import { startBenchStack, type BenchStack } from './support/stack';

const RSS_TARGET_BYTES = 2 ** 30;
const P99_TARGET_MS = 2_000;
/** Histories read for lateness: every one up to this many, else an even sample (p99 of 2,000 is 20 values deep). */
const LATENESS_SAMPLE = 2_000;
const HISTORY_READ_CONCURRENCY = 8;

export interface ScaleResult {
  consultations: number;
  quietPeriodMs: number;
  idleRssBytes: number;
  waitingRssBytes: number;
  databaseBytesPerConsultation: number;
  /** Seconds from the first submission until every encounter was waiting. */
  secondsToAllWaiting: number;
  /** Consultations saved (and so falling due) per second. */
  savedPerSecond: number;
  /** Whether all were waiting before the first one was due: otherwise "at once" did not hold. */
  allWaitingAtOnce: boolean;
  latenessMs: { p50: number; p99: number; max: number; sampled: number };
  loadAverage: { before: number; after: number };
}

export async function runScaleBench(opts: { quick: boolean }): Promise<ScaleResult> {
  const consultations = opts.quick ? 1_000 : 10_000;
  // Long enough for every consultation to be waiting before the first is due, at the ~30 starts/s seen here.
  const quietPeriodMs = (opts.quick ? 90 : 480) * 1_000;
  const loadBefore = os.loadavg()[0]!;
  const stack = await startBenchStack({ name: 'scale', quietPeriod: `${quietPeriodMs / 1000}s`, recipientMailboxes: benchRecipientMailboxes() });
  try {
    const worker = await stack.startWorkerProcess();
    const workerPid = worker.child.pid!;
    const idleRssBytes = rssBytes(workerPid);
    const databaseBefore = databaseBytes(stack);

    // Saved as submitted, so they fall due at the rate they were saved: a herd all due in one instant would measure
    // the worker's backlog, not its timers.
    const snapshots: ConsultationSnapshot[] = [];
    const started = Date.now();
    const firstDueAt = started + quietPeriodMs;
    await forEachBounded(consultations, SUBMIT_CONCURRENCY, quietPeriodMs, async (index) => {
      snapshots[index] = atHostingPractice(benchConsultation(index));
      await submitConsultationSaved(stack.client, snapshots[index]);
    });
    const savedPerSecond = consultations / ((Date.now() - started) / 1000);
    await waitUntil('every encounter waiting in its quiet period', async () => (await countWithStatus(stack, 'waiting-quiet-period')) >= consultations, {
      timeoutMs: quietPeriodMs,
      intervalMs: 1_000,
    });
    const allWaitingAt = Date.now();
    const waitingRssBytes = rssBytes(workerPid);
    const databaseBytesPerConsultation = (databaseBytes(stack) - databaseBefore) / consultations;
    console.log(
      `  ${consultations} waiting after ${((allWaitingAt - started) / 1000).toFixed(1)} s: worker RSS ${mib(waitingRssBytes)} (idle ${mib(idleRssBytes)}), ` +
        `database ${(databaseBytesPerConsultation / 1024).toFixed(1)} KiB per consultation`,
    );

    await waitUntil('every encounter fired (eligibility decided)', async () => (await countWithStatus(stack, 'not-required')) >= consultations, {
      timeoutMs: quietPeriodMs + 20 * 60_000,
      intervalMs: 2_000,
    });
    const latenessMs = await lateness(stack, snapshots, quietPeriodMs);
    const result: ScaleResult = {
      consultations,
      quietPeriodMs,
      idleRssBytes,
      waitingRssBytes,
      databaseBytesPerConsultation,
      secondsToAllWaiting: (allWaitingAt - started) / 1000,
      savedPerSecond,
      allWaitingAtOnce: allWaitingAt < firstDueAt,
      latenessMs,
      loadAverage: { before: loadBefore, after: os.loadavg()[0]! },
    };
    console.log(
      `scale: ${consultations} consultations waiting at once (quiet period ${quietPeriodMs / 1000} s) on one worker process\n` +
        `  worker RSS ${mib(waitingRssBytes)} waiting, ${mib(idleRssBytes)} idle (target ≤ ${mib(RSS_TARGET_BYTES)})\n` +
        `  database ${(databaseBytesPerConsultation / 1024).toFixed(1)} KiB per consultation\n` +
        `  saved and due at ${savedPerSecond.toFixed(1)}/s; timer lateness p50 ${latenessMs.p50} ms, p99 ${latenessMs.p99} ms, max ${latenessMs.max} ms over ${latenessMs.sampled} histories (target p99 ≤ ${P99_TARGET_MS} ms)\n` +
        `  load average ${loadBefore.toFixed(1)} before, ${result.loadAverage.after.toFixed(1)} after`,
    );
    return result;
  } finally {
    await stack.close();
  }
}

/** Registered at the hosting practice itself: eligibility answers "not required", so nothing is sent. */
function atHostingPractice(snapshot: ConsultationSnapshot): ConsultationSnapshot {
  return { ...snapshot, patient: { ...snapshot.patient, nhsNumber: SYNTHETIC_PATIENTS.atHostingPractice } };
}

/** Encounters in this state; waiting ones only once their timer runs (the workflow has published when it is due). */
async function countWithStatus(stack: BenchStack, status: 'waiting-quiet-period' | 'not-required'): Promise<number> {
  const timerRunning = status === 'waiting-quiet-period' ? ` AND NextActionTime > '2000-01-01T00:00:00Z'` : '';
  return (await stack.client.workflow.count(`WorkflowType = 'encounterWorkflow' AND ReportStatus = '${status}'${timerRunning}`)).count;
}

/** The timer fired when the workflow scheduled its eligibility check: that moment against savedAt + quiet period. */
async function lateness(stack: BenchStack, snapshots: readonly ConsultationSnapshot[], quietPeriodMs: number): Promise<ScaleResult['latenessMs']> {
  const step = Math.max(1, Math.floor(snapshots.length / LATENESS_SAMPLE));
  const sample = snapshots.filter((_, index) => index % step === 0);
  const values: number[] = [];
  await forEachBounded(sample.length, HISTORY_READ_CONCURRENCY, 10 * 60_000, async (index) => {
    const snapshot = sample[index]!;
    const events = await historyEvents(stack.client, encounterWorkflowId(snapshot.encounterId));
    const fired = events.find((event) => event.activityTaskScheduledEventAttributes?.activityType?.name === 'assessEligibility');
    if (!fired) throw new Error(`encounter ${snapshot.encounterId} has no eligibility check in its history`);
    values.push(eventTimeMs(fired) - (Date.parse(snapshot.savedAt) + quietPeriodMs));
  });
  values.sort((a, b) => a - b);
  const at = (q: number) => values[Math.min(values.length - 1, Math.floor(q * values.length))]!;
  return { p50: at(0.5), p99: at(0.99), max: values[values.length - 1]!, sampled: values.length };
}

/** Resident set of one process, from the kernel's own accounting. */
function rssBytes(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]) * 1024;
}

function databaseBytes(stack: BenchStack): number {
  return [stack.dbFile, `${stack.dbFile}-wal`].filter((file) => fs.existsSync(file)).reduce((sum, file) => sum + fs.statSync(file).size, 0);
}

function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(0)} MiB`;
}

export function scaleRow(result: ScaleResult): BenchRow {
  const { p50, p99, max, sampled } = result.latenessMs;
  const violations = [
    result.waitingRssBytes > RSS_TARGET_BYTES ? `worker RSS ${mib(result.waitingRssBytes)} over ${mib(RSS_TARGET_BYTES)}` : '',
    p99 > P99_TARGET_MS ? `p99 lateness ${p99} ms over ${P99_TARGET_MS} ms` : '',
    result.allWaitingAtOnce ? '' : `not all waiting before the first was due (${result.secondsToAllWaiting.toFixed(0)} s to all waiting)`,
  ].filter(Boolean);
  return {
    figures:
      `${result.consultations} waiting at once (quiet period ${result.quietPeriodMs / 1000} s, all waiting after ${result.secondsToAllWaiting.toFixed(0)} s): ` +
      `worker RSS ${mib(result.waitingRssBytes)}, database ${(result.databaseBytesPerConsultation / 1024).toFixed(1)} KiB/consultation, ` +
      `timer lateness p50 ${p50} ms, p99 ${p99} ms, max ${max} ms (${sampled} histories, due at ${result.savedPerSecond.toFixed(0)}/s); load ${result.loadAverage.before.toFixed(1)}→${result.loadAverage.after.toFixed(1)}`,
    ratio: `RSS ${(result.waitingRssBytes / result.idleRssBytes).toFixed(2)}× the idle worker (${mib(result.idleRssBytes)}); targets RSS ≤ 1 GiB, p99 ≤ 2 s`,
    ...(violations.length > 0 && { failure: violations.join(', ') }),
  };
}

if (require.main === module) {
  runScaleBench({ quick: process.argv.includes('--quick') }).catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
