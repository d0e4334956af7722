/**
 * Scale: 10,000 consultations (1,000 with --quick) waiting in their quiet period at once on one worker, which runs
 * as its own process (worker/main.ts, configured by environment, prebuilt bundle) so its RSS is its own. Reports the
 * worker's RSS with all of them waiting, the server database bytes per consultation (SQLite file and WAL, growth ÷ N),
 * and timer lateness when they fire: the eligibility activity's scheduling time in each history against savedAt +
 * quiet period. Targets: RSS ≤ 1 GB, p99 lateness ≤ 2 s. Baseline in the same run: the idle worker's RSS.
 * Saves arrive at a steady SAVES_PER_SECOND, so they fall due at that rate once all are waiting: the question is
 * whether 10,000 open timers fire on time, not how fast one machine drains a herd all due in the same second (the
 * throughput bench measures that capacity).
 * Temporal state per consultation (the server database's growth ÷ N once all are waiting) is set beside the engine
 * ceiling's in the same run (bench/support/ceiling-workflows.ts: the same commands and save payload, activities that
 * do nothing), saved at the same rate and measured at the same point, waiting in its timer; and the encoded size of
 * the save's payload, the part of the state that is fedreport's data (attachments travel by reference).
 * The patient is registered at the hosting practice, so each encounter ends at the eligibility check (not required):
 * this bench is about waiting and firing; sending is the throughput bench's. `npm run bench -- scale [--quick]`.
 */
import fs from 'node:fs';
import os from 'node:os';
import { encodedPayloadBytes, submitConsultationSaved } from '../client/encounters';
import type { ConsultationSnapshot } from '../domain/snapshot';
import { SYNTHETIC_PATIENTS } from '../simulators/pds/patients';
import { encounterWorkflowId } from '../workflows/encounter-identity';
import type { BenchRow } from './results';
import { buildCeilingBundle, CEILING_TASK_QUEUE, CEILING_WORKFLOW_TYPE, createCeilingActivities, submitToCeiling } from './support/ceiling-activities';
import { benchConsultation, benchRecipientMailboxes, forEachBounded, SUBMIT_CONCURRENCY, waitUntil } from './support/consultations';
import { eventTimeMs, historyEvents } from './support/histories';
import { BENCH_TIMINGS, SENDER_MAILBOX, startBenchStack, type BenchStack } from './support/stack';

const RSS_TARGET_BYTES = 2 ** 30;
const P99_TARGET_MS = 2_000;
/** Histories read for lateness: every one up to this many, else an even sample (p99 of 2,000 is 20 values deep). */
const LATENESS_SAMPLE = 2_000;
const HISTORY_READ_CONCURRENCY = 8;
/**
 * Arrival (and so firing) rate: 90,000 consultations an hour, hundreds of times a federation's busiest hour, and
 * about half of what this 2-core machine fires end to end (docs/performance.md), so the timers, not a backlog, are
 * what is measured.
 */
const SAVES_PER_SECOND = 25;
/** Ceiling workflows measured for the state comparison: enough for a steady per-workflow figure, at most 80 s of saves. */
const CEILING_SAMPLE = 2_000;
/** The ceiling workflows never fire during the bench: only their waiting state is compared. */
const CEILING_QUIET_PERIOD_MS = 24 * 3_600_000;

export interface ScaleResult {
  consultations: number;
  quietPeriodMs: number;
  idleRssBytes: number;
  waitingRssBytes: number;
  databaseBytesPerConsultation: number;
  /** The engine ceiling's, waiting in the same timer after the same commands, measured in the same run. */
  ceilingDatabaseBytesPerConsultation: number;
  /** The save's signal payload as Temporal stores it (encoded, encrypted): fedreport's data in that state. */
  savePayloadBytes: number;
  /** Seconds from the first submission until every encounter was waiting. */
  secondsToAllWaiting: number;
  /** Consultations saved (and so falling due) per second. */
  savedPerSecond: number;
  /** Whether all were waiting before the first one was due: otherwise "at once" did not hold. */
  allWaitingAtOnce: boolean;
  latenessMs: { p50: number; p99: number; max: number; sampled: number };
  /** Of the lateness, the server's part (timer fired after it was due) and the worker's (fired → eligibility scheduled). */
  serverLatenessMs: { p50: number; p99: number };
  workerLatenessMs: { p50: number; p99: number };
  loadAverage: { before: number; after: number };
}

export async function runScaleBench(opts: { quick: boolean }): Promise<ScaleResult> {
  const consultations = opts.quick ? 1_000 : 10_000;
  // Longer than the arrivals take (40 s quick, 400 s full), so every consultation is waiting before the first is due;
  // three times as long in a quick run, where a machine busy with other work saves more slowly (seen: 7/s at load 12).
  const quietPeriodMs = (opts.quick ? 120 : 450) * 1_000;
  const loadBefore = os.loadavg()[0]!;
  const stack = await startBenchStack({ name: 'scale', quietPeriod: `${quietPeriodMs / 1000}s`, recipientMailboxes: benchRecipientMailboxes() });
  try {
    const worker = await stack.startWorkerProcess();
    const workerPid = worker.child.pid!;
    const idleRssBytes = rssBytes(workerPid);
    const ceilingDatabaseBytesPerConsultation = await ceilingStatePerWorkflow(stack, Math.min(consultations, CEILING_SAMPLE));
    const savePayloadBytes = await encodedPayloadBytes(stack.client, atHostingPractice(benchConsultation(0)));
    const databaseBefore = databaseBytes(stack);

    // Saved as submitted, at a steady rate, so they fall due at the rate they were saved.
    const snapshots: ConsultationSnapshot[] = [];
    const started = Date.now();
    const firstDueAt = started + quietPeriodMs;
    await saveAtSteadyRate(consultations, quietPeriodMs, async (index) => {
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
        `database ${kib(databaseBytesPerConsultation)} per consultation (engine ceiling ${kib(ceilingDatabaseBytesPerConsultation)})`,
    );

    await waitUntil('every encounter fired (eligibility decided)', async () => (await countWithStatus(stack, 'not-required')) >= consultations, {
      timeoutMs: quietPeriodMs + 20 * 60_000,
      intervalMs: 2_000,
    });
    const { latenessMs, serverLatenessMs, workerLatenessMs } = await lateness(stack, snapshots, quietPeriodMs);
    const result: ScaleResult = {
      consultations,
      quietPeriodMs,
      idleRssBytes,
      waitingRssBytes,
      databaseBytesPerConsultation,
      ceilingDatabaseBytesPerConsultation,
      savePayloadBytes,
      secondsToAllWaiting: (allWaitingAt - started) / 1000,
      savedPerSecond,
      allWaitingAtOnce: allWaitingAt < firstDueAt,
      latenessMs,
      serverLatenessMs,
      workerLatenessMs,
      loadAverage: { before: loadBefore, after: os.loadavg()[0]! },
    };
    console.log(
      `scale: ${consultations} consultations waiting at once (quiet period ${quietPeriodMs / 1000} s) on one worker process\n` +
        `  worker RSS ${mib(waitingRssBytes)} waiting, ${mib(idleRssBytes)} idle (target ≤ ${mib(RSS_TARGET_BYTES)})\n` +
        `  Temporal state ${kib(databaseBytesPerConsultation)} per consultation, engine ceiling ${kib(ceilingDatabaseBytesPerConsultation)} ` +
        `(${(databaseBytesPerConsultation / ceilingDatabaseBytesPerConsultation).toFixed(2)}×); the save's payload ${savePayloadBytes} bytes\n` +
        `  saved and due at ${savedPerSecond.toFixed(1)}/s; timer lateness p50 ${latenessMs.p50} ms, p99 ${latenessMs.p99} ms, max ${latenessMs.max} ms over ${latenessMs.sampled} histories (target p99 ≤ ${P99_TARGET_MS} ms)\n` +
        `    of which the server firing the timer p50 ${serverLatenessMs.p50} ms, p99 ${serverLatenessMs.p99} ms; the worker acting on it p50 ${workerLatenessMs.p50} ms, p99 ${workerLatenessMs.p99} ms\n` +
        `  load average ${loadBefore.toFixed(1)} before, ${result.loadAverage.after.toFixed(1)} after`,
    );
    return result;
  } finally {
    await stack.close();
  }
}

/** Runs `save` for indexes 0..count-1 at SAVES_PER_SECOND, printing progress every tenth. */
async function saveAtSteadyRate(count: number, budgetMs: number, save: (index: number) => Promise<void>): Promise<void> {
  const started = Date.now();
  let shown = 0;
  await forEachBounded(count, SUBMIT_CONCURRENCY, budgetMs, async (index) => {
    const slot = started + (index * 1_000) / SAVES_PER_SECOND;
    if (slot > Date.now()) await new Promise((resolve) => setTimeout(resolve, slot - Date.now()));
    await save(index);
    if (index >= shown + count / 10) console.log(`  saved ${(shown = index)} of ${count}`);
  });
}

/**
 * Server database bytes per engine-ceiling workflow once `count` of them, saved like the encounters, wait in their
 * timer: what the engine keeps for the same commands and payload with no fedreport logic. They never fire.
 */
async function ceilingStatePerWorkflow(stack: BenchStack, count: number): Promise<number> {
  await stack.startWorkerFor(
    CEILING_TASK_QUEUE,
    await buildCeilingBundle(),
    createCeilingActivities(stack.client, { quietPeriodMs: CEILING_QUIET_PERIOD_MS, maxTotalWaitMs: null, senderMailbox: SENDER_MAILBOX, ...BENCH_TIMINGS }),
  );
  const before = databaseBytes(stack);
  const budgetMs = (count / SAVES_PER_SECOND) * 1_000 + 60_000;
  await saveAtSteadyRate(count, budgetMs, (index) => submitToCeiling(stack.client, atHostingPractice(benchConsultation(index))));
  const waiting = `WorkflowType = '${CEILING_WORKFLOW_TYPE}' AND NextActionTime > '2000-01-01T00:00:00Z'`;
  await waitUntil('every ceiling workflow waiting in its timer', async () => (await stack.client.workflow.count(waiting)).count >= count, {
    timeoutMs: 60_000,
    intervalMs: 1_000,
  });
  const perWorkflow = (databaseBytes(stack) - before) / count;
  console.log(`  ${count} engine-ceiling workflows waiting: database ${kib(perWorkflow)} per workflow`);
  return perWorkflow;
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

/**
 * The timer fired when the workflow scheduled its eligibility check: that moment against savedAt + quiet period. Split
 * into the server's part (its TimerFired event against the due time) and the worker's (TimerFired → scheduled).
 */
async function lateness(
  stack: BenchStack,
  snapshots: readonly ConsultationSnapshot[],
  quietPeriodMs: number,
): Promise<Pick<ScaleResult, 'latenessMs' | 'serverLatenessMs' | 'workerLatenessMs'>> {
  const step = Math.max(1, Math.floor(snapshots.length / LATENESS_SAMPLE));
  const sample = snapshots.filter((_, index) => index % step === 0);
  const total: number[] = [];
  const server: number[] = [];
  const worker: number[] = [];
  await forEachBounded(sample.length, HISTORY_READ_CONCURRENCY, 10 * 60_000, async (index) => {
    const snapshot = sample[index]!;
    const events = await historyEvents(stack.client, encounterWorkflowId(snapshot.encounterId));
    const scheduled = events.findIndex((event) => event.activityTaskScheduledEventAttributes?.activityType?.name === 'assessEligibility');
    if (scheduled < 0) throw new Error(`encounter ${snapshot.encounterId} has no eligibility check in its history`);
    const timerFired = events.slice(0, scheduled).reverse().find((event) => event.timerFiredEventAttributes);
    if (!timerFired) throw new Error(`encounter ${snapshot.encounterId} has no fired timer before its eligibility check`);
    const dueAt = Date.parse(snapshot.savedAt) + quietPeriodMs;
    total.push(eventTimeMs(events[scheduled]!) - dueAt);
    server.push(eventTimeMs(timerFired) - dueAt);
    worker.push(eventTimeMs(events[scheduled]!) - eventTimeMs(timerFired));
  });
  const percentiles = (values: number[]) => {
    values.sort((a, b) => a - b);
    const at = (q: number) => values[Math.min(values.length - 1, Math.floor(q * values.length))]!;
    return { p50: at(0.5), p99: at(0.99), max: values[values.length - 1]! };
  };
  const serverPart = percentiles(server);
  const workerPart = percentiles(worker);
  return {
    latenessMs: { ...percentiles(total), sampled: total.length },
    serverLatenessMs: { p50: serverPart.p50, p99: serverPart.p99 },
    workerLatenessMs: { p50: workerPart.p50, p99: workerPart.p99 },
  };
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

function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
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
      `worker RSS ${mib(result.waitingRssBytes)}, Temporal state ${kib(result.databaseBytesPerConsultation)}/consultation ` +
      `(engine ceiling ${kib(result.ceilingDatabaseBytesPerConsultation)}, save payload ${result.savePayloadBytes} B), ` +
      `timer lateness p50 ${p50} ms, p99 ${p99} ms, max ${max} ms (${sampled} histories, due at ${result.savedPerSecond.toFixed(0)}/s); load ${result.loadAverage.before.toFixed(1)}→${result.loadAverage.after.toFixed(1)}`,
    ratio:
      `RSS ${(result.waitingRssBytes / result.idleRssBytes).toFixed(2)}× the idle worker (${mib(result.idleRssBytes)}); ` +
      `Temporal state ${(result.databaseBytesPerConsultation / result.ceilingDatabaseBytesPerConsultation).toFixed(2)}× the engine ceiling's; targets RSS ≤ 1 GiB, p99 ≤ 2 s`,
    ...(violations.length > 0 && { failure: violations.join(', ') }),
  };
}
