/**
 * End-to-end throughput: N consultations (2,000; 100 with --quick), quiet period 1 s, through the real stack on one
 * machine (dev server on a SQLite file, the worker's adapters in this process, PDS double, mesh-sandbox, receiving-
 * practice simulator, as its own process) until every encounter is `acknowledged`. Baseline in the same run, on the
 * same server and worker settings, in alternating batches: the engine ceiling (bench/support/ceiling-workflows.ts),
 * the same Temporal work with activities that do nothing. Target: reports/s ≥ 0.5 × the ceiling. Prints the CPU each
 * process spent per consultation, which on a 2-core machine is what the ratio comes down to.
 * `npm run bench -- throughput [--quick]`; `throughput-cluster` runs the same on the production topology (the Temporal
 * server on PostgreSQL, as `npm run cluster`) and adds the Temporal state each consultation leaves in PostgreSQL.
 */
import os from 'node:os';
import { submitConsultationSaved } from '../client/encounters';
import type { ConsultationSnapshot } from '../domain/snapshot';
import { startInboxPollers } from '../worker/worker';
import { ENCOUNTER_WORKFLOW_TYPE } from '../workflows/encounter-messages';
import { encounterWorkflowId } from '../workflows/encounter-identity';
import type { BenchRow } from './results';
import {
  buildCeilingBundle,
  CEILING_INBOX_MAILBOX,
  CEILING_TASK_QUEUE,
  CEILING_WORKFLOW_TYPE,
  ceilingWorkflowId,
  createCeilingActivities,
  submitToCeiling,
} from './support/ceiling-activities';
import { benchConsultation, benchRecipientMailboxes, submitAll, waitUntil } from './support/consultations';
import { cpuMsPerItem, cpuSampler, formatCpu } from './support/cpu-time';
import { temporalDatabaseBytes } from './support/temporal-state';
import { eventTypeCounts, formatCounts, historyEvents } from './support/histories';
import { BENCH_POLL_INTERVAL_MS, BENCH_TIMINGS, SENDER_MAILBOX, startBenchStack, type BenchStack } from './support/stack';

const QUIET_PERIOD_MS = 1_000;
const TARGET_RATIO = 0.5;
const PROGRESS_EVERY_MS = 15_000;
/** Rounds of (ceiling batch, fedreport batch): 4 in a full run, 2 quick. */
const BATCHES = { full: 4, quick: 2 };

interface Pipeline {
  label: string;
  workflowType: string;
  submit: (snapshot: ConsultationSnapshot) => Promise<unknown>;
  workflowId: (encounterId: string) => string;
}

export interface ThroughputResult {
  consultations: number;
  reportsPerSecond: number;
  ceilingPerSecond: number;
  ratio: number;
  /** Messages the simulator received, and of those repeated: exactly one per consultation is the only right answer. */
  received: number;
  duplicates: number;
  /**
   * Event counts by type of one history of each, and the event types the encounter has more of than the ceiling: the
   * ceiling is only a ceiling while that list is empty. (The encounter may have fewer: when both answers reach it in
   * one workflow task it never starts the business-answer timer the ceiling always starts.)
   */
  historyShapes: { ceiling: string; fedreport: string; beyondCeiling: string[] };
  /** CPU milliseconds per consultation by process, for each pipeline: where the machine's two cores went. */
  cpuMsPerConsultation: { ceiling: Record<string, number>; fedreport: Record<string, number> };
  topology: 'dev' | 'cluster';
  /** Growth of Temporal's PostgreSQL databases per consultation, by pipeline (cluster topology only). */
  postgresBytesPerConsultation?: { ceiling: number; fedreport: number };
  /** 1-minute load average before and after: the machine is shared, so say how busy it was. */
  loadAverage: { before: number; after: number };
}

export async function runThroughputBench(opts: { quick: boolean; topology?: 'dev' | 'cluster' }): Promise<ThroughputResult> {
  const topology = opts.topology ?? 'dev';
  const consultations = opts.quick ? 100 : 2_000;
  const budgetMs = (opts.quick ? 3 : 20) * 60_000;
  const loadBefore = os.loadavg()[0]!;
  const stack = await startBenchStack({
    name: `throughput-${topology}`,
    quietPeriod: `${QUIET_PERIOD_MS}ms`,
    recipientMailboxes: benchRecipientMailboxes(),
    topology,
  });
  const postgres = stack.temporal.postgres;
  const stateBytes = (): Promise<number> => (postgres ? temporalDatabaseBytes(postgres) : Promise.resolve(0));
  try {
    await stack.startWorker();
    const practice = await stack.startSimulator();
    await stack.startWorkerFor(
      CEILING_TASK_QUEUE,
      await buildCeilingBundle(),
      createCeilingActivities(stack.client, { quietPeriodMs: QUIET_PERIOD_MS, maxTotalWaitMs: null, senderMailbox: SENDER_MAILBOX, ...BENCH_TIMINGS }),
    );
    await startInboxPollers(stack.client, { mailboxes: [CEILING_INBOX_MAILBOX], taskQueue: CEILING_TASK_QUEUE, pollIntervalMs: BENCH_POLL_INTERVAL_MS });
    const ceiling: Pipeline = {
      label: 'engine ceiling',
      workflowType: CEILING_WORKFLOW_TYPE,
      submit: (snapshot) => submitToCeiling(stack.client, snapshot),
      workflowId: ceilingWorkflowId,
    };
    const fedreport: Pipeline = {
      label: 'fedreport',
      workflowType: ENCOUNTER_WORKFLOW_TYPE,
      submit: (snapshot) => submitConsultationSaved(stack.client, snapshot),
      workflowId: encounterWorkflowId,
    };

    // One consultation through each first: warms both workers up, and shows that the two histories have one shape.
    const historyCounts = async (pipeline: Pipeline): Promise<Map<string, number>> => {
      const [warmUp] = await measure(stack, pipeline, 1, budgetMs);
      const counts = eventTypeCounts(await historyEvents(stack.client, pipeline.workflowId(warmUp!)));
      console.log(`  ${pipeline.label} history: ${formatCounts(counts)}`);
      return counts;
    };
    const ceilingCounts = await historyCounts(ceiling);
    const fedreportCounts = await historyCounts(fedreport);
    const historyShapes = {
      ceiling: formatCounts(ceilingCounts),
      fedreport: formatCounts(fedreportCounts),
      beyondCeiling: [...fedreportCounts].filter(([type, count]) => count > (ceilingCounts.get(type) ?? 0)).map(([type]) => type.toLowerCase()),
    };
    const cpu = cpuSampler({ [topology === 'cluster' ? 'Temporal server' : 'dev server']: stack.temporal.process.child.pid, 'mesh-sandbox': stack.mesh.process.child.pid, simulator: practice.pid });
    // Alternating batches, so both pipelines meet the same database sizes: the server's cost per workflow grows with
    // its SQLite file, and whichever ran second on the whole run would pay for the first one's history.
    const totals = new Map<Pipeline, { seconds: number; cpuMs: Record<string, number>; bytes: number }>([
      [ceiling, { seconds: 0, cpuMs: {}, bytes: 0 }],
      [fedreport, { seconds: 0, cpuMs: {}, bytes: 0 }],
    ]);
    const rounds = opts.quick ? BATCHES.quick : BATCHES.full;
    const batch = consultations / rounds;
    for (let round = 0; round < rounds; round += 1) {
      for (const pipeline of [ceiling, fedreport]) {
        const total = totals.get(pipeline)!;
        const cpuBefore = cpu();
        const bytesBefore = await stateBytes();
        const started = performance.now();
        await measure(stack, pipeline, batch, budgetMs);
        total.seconds += (performance.now() - started) / 1000;
        total.bytes += (await stateBytes()) - bytesBefore;
        for (const [name, ms] of Object.entries(cpuMsPerItem(cpuBefore, cpu(), consultations))) total.cpuMs[name] = (total.cpuMs[name] ?? 0) + ms;
      }
    }
    const ceilingPerSecond = consultations / totals.get(ceiling)!.seconds;
    const reportsPerSecond = consultations / totals.get(fedreport)!.seconds;
    const cpuMsPerConsultation = { ceiling: totals.get(ceiling)!.cpuMs, fedreport: totals.get(fedreport)!.cpuMs };

    const counters = Object.values((await practice.stats()).mailboxes);
    const result: ThroughputResult = {
      consultations,
      reportsPerSecond,
      ceilingPerSecond,
      ratio: reportsPerSecond / ceilingPerSecond,
      received: counters.reduce((sum, c) => sum + c.received, 0) - 1, // less the warm-up consultation's report
      duplicates: counters.reduce((sum, c) => sum + c.duplicates, 0),
      historyShapes,
      cpuMsPerConsultation,
      topology,
      ...(postgres && {
        postgresBytesPerConsultation: {
          ceiling: totals.get(ceiling)!.bytes / consultations,
          fedreport: totals.get(fedreport)!.bytes / consultations,
        },
      }),
      loadAverage: { before: loadBefore, after: os.loadavg()[0]! },
    };
    console.log(
      `throughput: ${consultations} consultations, quiet period ${QUIET_PERIOD_MS / 1000} s, each to acknowledged\n` +
        `  fedreport       ${reportsPerSecond.toFixed(1).padStart(7)} reports/s (simulator received ${result.received}, duplicates ${result.duplicates})\n` +
        `  engine ceiling  ${ceilingPerSecond.toFixed(1).padStart(7)} workflows/s\n` +
        `  CPU ms per consultation, fedreport: ${formatCpu(cpuMsPerConsultation.fedreport)}\n` +
        `  CPU ms per consultation, ceiling:   ${formatCpu(cpuMsPerConsultation.ceiling)}\n` +
        (result.postgresBytesPerConsultation ? `  Temporal state in PostgreSQL per consultation: ${formatBytes(result.postgresBytesPerConsultation)}\n` : '') +
        `  ratio ${result.ratio.toFixed(2)} (target ≥ ${TARGET_RATIO}); load average ${loadBefore.toFixed(1)} before, ${result.loadAverage.after.toFixed(1)} after`,
    );
    return result;
  } finally {
    await stack.close();
  }
}

/** Submits `count` fresh consultations and waits until all of them (and all before) are acknowledged; their GUIDs. */
async function measure(stack: BenchStack, pipeline: Pipeline, count: number, budgetMs: number): Promise<string[]> {
  const { count: before } = await stack.client.workflow.count(acknowledgedQuery(pipeline));
  const snapshots = Array.from({ length: count }, (_, index) => benchConsultation(index));
  await submitAll(snapshots, pipeline.submit, budgetMs);
  let reportedAt = Date.now();
  await waitUntil(
    `${pipeline.label}: ${count} consultations acknowledged`,
    async () => {
      const done = (await stack.client.workflow.count(acknowledgedQuery(pipeline))).count - before;
      if (Date.now() - reportedAt >= PROGRESS_EVERY_MS) {
        console.log(`  … ${pipeline.label}: ${done} of ${count} acknowledged`);
        reportedAt = Date.now();
      }
      return done >= count;
    },
    // Every count is a query on the server's database: poll about a hundred times per batch (≤ 1 % error).
    { timeoutMs: budgetMs, intervalMs: Math.max(100, count) },
  );
  return snapshots.map((snapshot) => snapshot.encounterId);
}

function formatBytes(perConsultation: { ceiling: number; fedreport: number }): string {
  const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;
  return `fedreport ${kib(perConsultation.fedreport)}, ceiling ${kib(perConsultation.ceiling)} (persistence + visibility databases)`;
}

function acknowledgedQuery(pipeline: Pipeline): string {
  return `WorkflowType = '${pipeline.workflowType}' AND ReportStatus = 'acknowledged'`;
}

export function throughputRow(result: ThroughputResult): BenchRow {
  const violations = [
    result.ratio < TARGET_RATIO ? `ratio ${result.ratio.toFixed(2)} below ${TARGET_RATIO}` : '',
    result.received !== result.consultations ? `simulator received ${result.received} reports for ${result.consultations} consultations` : '',
    result.duplicates > 0 ? `${result.duplicates} duplicates` : '',
    result.historyShapes.beyondCeiling.length > 0 ? `the encounter asks the engine for more than the ceiling (${result.historyShapes.beyondCeiling.join(', ')})` : '',
  ].filter(Boolean);
  return {
    figures: `${result.topology === 'cluster' ? 'Temporal server on PostgreSQL; ' : ''}${result.consultations} consultations, quiet period 1 s, to acknowledged: ${result.reportsPerSecond.toFixed(1)} reports/s; simulator received ${result.received}, duplicates ${result.duplicates}; load ${result.loadAverage.before.toFixed(1)}→${result.loadAverage.after.toFixed(1)}${result.postgresBytesPerConsultation ? `; Temporal state in PostgreSQL per consultation: ${formatBytes(result.postgresBytesPerConsultation)}` : ''}`,
    ratio: `${result.ratio.toFixed(2)}× engine ceiling (${result.ceilingPerSecond.toFixed(1)} workflows/s, same commands, no-op activities); target ≥ ${TARGET_RATIO}`,
    ...(violations.length > 0 && { failure: violations.join(', ') }),
  };
}
