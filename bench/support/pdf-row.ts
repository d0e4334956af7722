/**
 * The docs/performance.md row of a PDF bench run. runPdfBench prints its figures and returns nothing, so the row is
 * read from the lines it prints (still shown on the console as they are); if those lines change, this fails loudly
 * rather than record a wrong row. Once bench/pdf.ts returns its figures, the row can be built from them instead.
 */
import { runPdfBench } from '../pdf';
import type { BenchRow } from '../results';

export async function pdfBenchRow(opts: { quick: boolean }): Promise<BenchRow> {
  const printed = await capturingConsole(() => runPdfBench(opts));
  const figure = (name: string, pattern: RegExp): string => {
    const value = pattern.exec(printed)?.[1];
    if (value === undefined)
      throw new Error(`the PDF bench no longer prints its ${name} as "${pattern.source}"`);
    return value;
  };
  const reports = figure('report count', /PDF bench: (\d+) consultation reports/);
  const pages = figure('page count', /reports of (\d+) pages/);
  const median = figure('median', /median ([\d.]+) ms, p95/);
  const p95 = figure('p95', /p95 ([\d.]+) ms per report/);
  const kilobytes = figure('size', /\(([\d.]+) KB\) per report/);
  const cpu = figure('CPU time', /CPU time ([\d.]+) ms per report/);
  const floor = figure('floor median', /pdfkit floor[^\n]*median ([\d.]+) ms/);
  const ratio = figure('ratio', /ratio report ÷ floor: ([\d.]+)×/);
  const load = figure('load average', /load average \(1 min\) at the end: ([\d.]+)/);
  return {
    figures: `${reports} reports of ${pages} pages: median ${median} ms, p95 ${p95} ms, CPU ${cpu} ms, ${kilobytes} KB per report; load ${load}`,
    ratio: `${ratio}× pdfkit floor (one-line PDF, median ${floor} ms)`,
  };
}

/** Runs `task` with console.log passed through and recorded; returns what was printed. */
async function capturingConsole(task: () => Promise<void>): Promise<string> {
  const lines: string[] = [];
  const print = console.log;
  console.log = (...args: unknown[]) => {
    lines.push(args.map(String).join(' '));
    print(...args);
  };
  try {
    await task();
  } finally {
    console.log = print;
  }
  return lines.join('\n');
}
