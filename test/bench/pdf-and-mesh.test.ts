/**
 * `npm run bench -- pdf mesh --quick` in CI. Their targets are wall-clock ratios on a shared 2-core machine and are
 * recorded by the bench command (docs/performance.md); here, that both run through and measure what they claim.
 */
import { runMeshBench, type MeshBenchResult } from '../../bench/mesh';
import { runPdfBench, type PdfBenchResult } from '../../bench/pdf';

describe('pdf --quick', () => {
  let result: PdfBenchResult;
  beforeAll(async () => {
    result = await runPdfBench({ quick: true });
  }, 120_000);

  it('renders the typical consultation as a two-page report within the size target', () => {
    expect(result.pages).toBe(2);
    expect(result.sizeMet).toBe(true);
    expect(result.bytes).toBeLessThanOrEqual(100 * 1024);
  });

  it('times it against the pdfkit floor measured in the same run', () => {
    expect(result.floorMedianMs).toBeGreaterThan(0);
    expect(result.medianMs).toBeGreaterThan(result.floorMedianMs);
  });
});

describe('mesh --quick', () => {
  let result: MeshBenchResult;
  beforeAll(async () => {
    result = await runMeshBench({ quick: true });
  }, 6 * 60_000);

  it('moves every message through the sandbox with both clients in both wire modes', () => {
    expect(result.modes.map((mode) => mode.acceptGzip).sort()).toEqual([false, true]);
    for (const mode of result.modes) {
      expect(mode.runs).toHaveLength(3);
      for (const run of mode.runs) expect(run.messagesPerSecond).toBeGreaterThan(0);
      expect(mode.ratio).toBeGreaterThan(0);
    }
  });
});
