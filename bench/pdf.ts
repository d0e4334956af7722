/**
 * Report PDF rendering: N typical two-page consultation reports, against the floor of pdfkit itself (a one-line
 * PDF in a standard font) in the same run. `npm run bench -- pdf [--quick]`.
 * Targets: median ≤ 20 ms and ≤ 100 KB per two-page report.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import { renderConsultationReport } from '../integrations/report/render-report';
import { parseConsultationSnapshot } from '../domain/snapshot';

const TARGET_MEDIAN_MS = 20;
const TARGET_BYTES = 100 * 1024;
const WARM_UP = 20;
/** A fairly thorough GP consultation of a temporary resident, two pages long. */
const TYPICAL_SNAPSHOT = path.join(__dirname, '../examples/consultation-two-page.json');

/** pdfkit's floor: the cheapest PDF it makes, one line in a standard (not embedded) font. */
function renderOneLinePdf(): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4' });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  doc.text('Consultation report');
  doc.end();
  return done;
}

/** Wall-clock time of each run (sorted), plus mean CPU time: on a busy machine the wall clock includes waiting. */
async function timeEach(
  count: number,
  run: () => Promise<Buffer>,
): Promise<{ ms: number[]; cpuMs: number; bytes: number }> {
  const ms: number[] = [];
  let bytes = 0;
  const cpuStart = process.cpuUsage();
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    bytes = (await run()).length;
    ms.push(performance.now() - start);
  }
  const cpu = process.cpuUsage(cpuStart);
  return { ms: ms.sort((a, b) => a - b), cpuMs: (cpu.user + cpu.system) / 1000 / count, bytes };
}

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;

/** pdfkit writes one `/Type /Page` dictionary per page (and one `/Type /Pages` for the tree). */
const pageCount = (pdf: Buffer): number => pdf.toString('latin1').match(/\/Type \/Page\n/g)?.length ?? 0;

export interface PdfBenchResult {
  reports: number;
  pages: number;
  medianMs: number;
  p95Ms: number;
  /** Mean CPU time per report, collector included. */
  cpuMs: number;
  bytes: number;
  floorMedianMs: number;
  floorBytes: number;
  /** Whether the targets (median ≤ 20 ms, ≤ 100 KB) were met. */
  medianMet: boolean;
  sizeMet: boolean;
  /** 1-minute load average at the end: wall-clock figures on a shared machine. */
  loadAverage: number;
}

export async function runPdfBench(opts: { quick: boolean }): Promise<PdfBenchResult> {
  const reports = opts.quick ? 100 : 1_000;
  const snapshot = parseConsultationSnapshot(JSON.parse(fs.readFileSync(TYPICAL_SNAPSHOT, 'utf8')));
  const renderReport = () =>
    renderConsultationReport({
      snapshot,
      version: 1,
      receivingPractice: { odsCode: 'Y90002', name: 'Hill Surgery' },
    });
  const pages = pageCount(await renderReport());
  // Warm-up outside the measurement: font parsing, JIT.
  await timeEach(WARM_UP, renderReport);
  await timeEach(WARM_UP, renderOneLinePdf);
  const report = await timeEach(reports, renderReport);
  const floor = await timeEach(reports, renderOneLinePdf);
  const result: PdfBenchResult = {
    reports,
    pages,
    medianMs: percentile(report.ms, 0.5),
    p95Ms: percentile(report.ms, 0.95),
    cpuMs: report.cpuMs,
    bytes: report.bytes,
    floorMedianMs: percentile(floor.ms, 0.5),
    floorBytes: floor.bytes,
    medianMet: percentile(report.ms, 0.5) <= TARGET_MEDIAN_MS,
    sizeMet: report.bytes <= TARGET_BYTES,
    loadAverage: os.loadavg()[0]!,
  };
  const verdict = (met: boolean) => (met ? 'met' : 'NOT MET');
  console.log(`PDF bench: ${reports} consultation reports of ${pages} pages (pdfkit, DejaVu Sans embedded and subset)`);
  console.log(
    `  median ${result.medianMs.toFixed(2)} ms, p95 ${result.p95Ms.toFixed(2)} ms per report (target ≤ ${TARGET_MEDIAN_MS} ms: ${verdict(result.medianMet)})`,
  );
  console.log(`  ${result.bytes} bytes (${(result.bytes / 1024).toFixed(1)} KB) per report (target ≤ 100 KB: ${verdict(result.sizeMet)})`);
  console.log(`  CPU time ${result.cpuMs.toFixed(2)} ms per report (mean, collector included)`);
  console.log(`  pdfkit floor (one-line PDF, standard font): median ${result.floorMedianMs.toFixed(2)} ms, ${result.floorBytes} bytes`);
  console.log(`  ratio report ÷ floor: ${(result.medianMs / result.floorMedianMs).toFixed(1)}× (median)`);
  // Wall-clock figures on a shared machine: the load says how far to trust them.
  console.log(`  load average (1 min) at the end: ${result.loadAverage.toFixed(2)} on ${os.cpus().length} cores`);
  return result;
}
