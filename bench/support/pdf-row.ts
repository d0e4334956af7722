/** The docs/performance.md row of a PDF bench run: a typical report against the pdfkit floor. */
import type { PdfBenchResult } from '../pdf';
import type { BenchRow } from '../results';

export function pdfRow(result: PdfBenchResult): BenchRow {
  const kilobytes = (result.bytes / 1024).toFixed(1);
  const misses = [
    result.medianMet ? '' : `median ${result.medianMs.toFixed(2)} ms over 20 ms`,
    result.sizeMet ? '' : `${kilobytes} KB over 100 KB`,
  ].filter(Boolean);
  return {
    figures:
      `${result.reports} reports of ${result.pages} pages: median ${result.medianMs.toFixed(2)} ms, p95 ${result.p95Ms.toFixed(2)} ms, ` +
      `CPU ${result.cpuMs.toFixed(2)} ms, ${kilobytes} KB per report; load ${result.loadAverage.toFixed(2)}`,
    ratio: `${(result.medianMs / result.floorMedianMs).toFixed(1)}× pdfkit floor (one-line PDF, median ${result.floorMedianMs.toFixed(2)} ms)`,
    ...(misses.length > 0 && { failure: misses.join(', ') }),
  };
}
