/**
 * `npm run bench -- <target...> [--quick]`: runs the named benchmarks one after another; each prints its figures and
 * adds a row to the results table of docs/performance.md (bench/results.ts). Without a target, lists the targets.
 * A benchmark is one line in BENCHMARKS: a description and a function that runs it and returns its row.
 */
import path from 'node:path';
import { z } from 'zod';
import { archiveRow, runArchiveBench } from './archive';
import { documentsRow, runDocumentsBench } from './documents';
import { runFuzzBench, fuzzRow } from './fuzz';
import { runMeshBench } from './mesh';
import { runScaleBench, scaleRow } from './scale';
import { runStormBench, stormRow } from './storm';
import { runThroughputBench, throughputRow } from './throughput';
import { receiveRow, runReceiveBench } from './receive';
import { PERFORMANCE_DOC, recordResult, type BenchRow } from './results';
import { meshRow } from './support/mesh-row';
import { runPdfBench } from './pdf';
import { pdfRow } from './support/pdf-row';
import { PROJECT_ROOT } from '../tooling/paths';
import { runCommand } from '../common/run-main';

interface Benchmark {
  description: string;
  /** Runs the benchmark (CI-sized with `quick`), printing as it goes, and returns the row the table keeps. */
  run: (opts: { quick: boolean }) => Promise<BenchRow>;
}

const BENCHMARKS: Record<string, Benchmark> = {
  mesh: {
    description: 'MESH client: fedreport vs the Python mesh-client through mesh-sandbox',
    run: (opts) => runMeshBench(opts).then(meshRow),
  },
  pdf: { description: 'report PDF rendering vs the pdfkit floor', run: (opts) => runPdfBench(opts).then(pdfRow) },
  fuzz: {
    description: 'hostile requests against the hook API (10,000; 1,000 quick)',
    run: (opts) => runFuzzBench(opts).then(fuzzRow),
  },
  throughput: { description: 'consultations end to end to acknowledged vs the engine ceiling (2,000; 100 quick)', run: (opts) => runThroughputBench(opts).then(throughputRow) },
  'throughput-cluster': {
    description: 'the same on the Temporal server on PostgreSQL (npm run cluster), with Temporal state per consultation',
    run: (opts) => runThroughputBench({ ...opts, topology: 'cluster' }).then(throughputRow),
  },
  receive: {
    description: 'Send Document messages received, filed and answered by fedreport, with the send path in the same run (500; 50 quick)',
    run: (opts) => runReceiveBench(opts).then(receiveRow),
  },
  scale: { description: 'consultations waiting at once on one worker process: RSS, database bytes, timer lateness (10,000; 1,000 quick)', run: (opts) => runScaleBench(opts).then(scaleRow) },
  archive: {
    description: 'archive on PostgreSQL: write throughput, search by NHS number over 1,000,000 rows (100,000 quick)',
    run: (opts) => runArchiveBench(opts).then(archiveRow),
  },
  documents: {
    description: 'document inbox on PostgreSQL: a page of new documents, metadata, PDF over 200,000 received (20,000 quick)',
    run: (opts) => runDocumentsBench(opts).then(documentsRow),
  },
  storm: { description: 'saves of one consultation inside its quiet period → exactly one report (200; 50 quick)', run: (opts) => runStormBench(opts).then(stormRow) },
};

const QUICK_FLAG = '--quick';

const argumentsSchema = z.array(z.string()).transform((args, ctx) => {
  const targets: string[] = [];
  for (const arg of args) {
    if (arg === QUICK_FLAG) continue;
    if (!Object.prototype.hasOwnProperty.call(BENCHMARKS, arg)) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: arg.startsWith('-')
          ? `unknown option "${arg}" (the only option is ${QUICK_FLAG})`
          : `unknown target "${arg}"; targets: ${Object.keys(BENCHMARKS).join(', ')}`,
      });
    } else targets.push(arg);
  }
  return { targets, quick: args.includes(QUICK_FLAG) };
});

function usage(): string {
  const width = Math.max(...Object.keys(BENCHMARKS).map((name) => name.length));
  return [
    `usage: npm run bench -- <target...> [${QUICK_FLAG}]`,
    'targets:',
    ...Object.entries(BENCHMARKS).map(([name, { description }]) => `  ${name.padEnd(width)}  ${description}`),
    `each run adds a row to ${path.relative(PROJECT_ROOT, PERFORMANCE_DOC)}; ${QUICK_FLAG} runs CI-sized variants`,
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const parsed = argumentsSchema.safeParse(argv);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) console.error(`bench: ${issue.message}`);
    console.error(usage());
    return 2;
  }
  const { targets, quick } = parsed.data;
  if (targets.length === 0) {
    console.log(usage());
    return 0;
  }
  let exitCode = 0;
  for (const name of targets) {
    const label = quick ? `${name} ${QUICK_FLAG}` : name;
    const row = await BENCHMARKS[name]!.run({ quick });
    console.log(`recorded in ${path.relative(PROJECT_ROOT, PERFORMANCE_DOC)}:\n${recordResult(label, row)}`);
    if (row.failure) {
      console.error(`bench ${label} failed: ${row.failure}`);
      exitCode = 1;
    }
  }
  return exitCode;
}

runCommand(() => main(process.argv.slice(2)));
