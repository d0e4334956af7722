/**
 * Fuzz of the clinical-system API: 10,000 generated malformed or hostile requests (1,000 with --quick) against the
 * real API on loopback, backed by a headless in-memory Temporal dev server started for the run. Fails on any crash,
 * 5xx, answer without a named reason, or workflow started for invalid input. Baseline: GET /health through the same
 * client and server, the cheapest request there is. `npm run bench -- fuzz`; replay with FEDREPORT_FUZZ_SEED=<seed>.
 */
import fs from 'node:fs';
import path from 'node:path';
import { startDevServer } from '../tooling/temporal-dev-server';
import { startPostgresServer } from '../tooling/postgres-server';
import { PROJECT_TOOLS_DIR } from '../tooling/paths';
import { formatFuzzReport, statusHistogram } from '../test/chaos/support/api-fuzz/fuzz-report';
import { runApiFuzz, type FuzzReport } from '../test/chaos/support/api-fuzz/fuzz-run';
import { startFuzzTarget, type FuzzTarget } from '../test/chaos/support/api-fuzz/fuzz-target';
import { fuzzSeed } from '../test/chaos/support/prng';
import { exchange } from '../test/chaos/support/raw-http';
import type { BenchRow } from './results';

/** Requests in flight at once, for the fuzz and for the baseline alike. */
const CONCURRENCY = 8;
const FLOOR_REQUESTS = 1_000;

export interface FuzzBenchResult {
  report: FuzzReport;
  /** GET /health requests per second through the same client and server. */
  floorRequestsPerSecond: number;
}

export async function runFuzzBench(opts: { quick: boolean }): Promise<FuzzBenchResult> {
  const requests = opts.quick ? 1_000 : 10_000;
  const workDir = path.join(PROJECT_TOOLS_DIR, 'bench', 'fuzz');
  fs.mkdirSync(workDir, { recursive: true });
  const [server, database] = await Promise.all([
    startDevServer({ uiPort: null, logFile: path.join(workDir, 'temporal-dev-server.log') }),
    startPostgresServer({ logFile: path.join(workDir, 'postgresql.log') }),
  ]);
  let target: FuzzTarget | undefined;
  try {
    target = await startFuzzTarget(server, database.url);
    const floorRequestsPerSecond = await healthRequestsPerSecond(target);
    const report = await runApiFuzz(target, {
      requests,
      batchSize: 500,
      concurrency: CONCURRENCY,
      seed: fuzzSeed(),
      timeBudgetMs: (opts.quick ? 3 : 20) * 60_000,
      onBatch: (done) => console.log(`  … ${done} of ${requests} requests`),
    });
    console.log(formatFuzzReport(report));
    console.log(
      `  baseline GET /health: ${floorRequestsPerSecond.toFixed(1)} requests/s; fuzz ÷ baseline ${(report.requestsPerSecond / floorRequestsPerSecond).toFixed(2)}`,
    );
    return { report, floorRequestsPerSecond };
  } finally {
    await target?.close();
    await server.process.stop();
    await database.stop();
  }
}

async function healthRequestsPerSecond(target: FuzzTarget): Promise<number> {
  let sent = 0;
  const started = performance.now();
  const worker = async (): Promise<void> => {
    while (sent < FLOOR_REQUESTS) {
      sent += 1;
      const answer = await exchange(
        target.port,
        { method: 'GET', target: '/health', headers: [['Host', '127.0.0.1']] },
        10_000,
      );
      if (answer.kind !== 'response' || answer.status !== 200)
        throw new Error('GET /health failed during the baseline');
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return FLOOR_REQUESTS / ((performance.now() - started) / 1000);
}

export function fuzzRow({ report, floorRequestsPerSecond }: FuzzBenchResult): BenchRow {
  const violations = [
    report.completed ? '' : `only ${report.requests} requests sent in the time budget`,
    report.crashes ? `${report.crashes} crashes` : '',
    report.serverErrors ? `${report.serverErrors} 5xx` : '',
    report.workflowsStartedForInvalidInput
      ? `${report.workflowsStartedForInvalidInput} workflows started for invalid input`
      : '',
    report.findings.length ? `${report.findings.length} findings` : '',
  ].filter(Boolean);
  return {
    figures:
      `seed ${report.seed}, ${report.requests} requests, ${report.requestsPerSecond.toFixed(1)} req/s, p50 ${report.latencyMs.p50.toFixed(1)} ms, ` +
      `p99 ${report.latencyMs.p99.toFixed(1)} ms; ${statusHistogram(report.statuses)}; crashes ${report.crashes}, 5xx ${report.serverErrors}, ` +
      `workflows for invalid input ${report.workflowsStartedForInvalidInput} (${report.workflowsStarted} started by controls and valid requests)`,
    ratio: `${(report.requestsPerSecond / floorRequestsPerSecond).toFixed(2)}× GET /health (${floorRequestsPerSecond.toFixed(0)} req/s)`,
    ...(violations.length > 0 && { failure: violations.join(', ') }),
  };
}
