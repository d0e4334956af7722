/** The docs/performance.md row of a MESH bench run: fedreport's messages/s against the Python mesh-client's. */
import type { MeshBenchResult } from '../mesh';
import type { BenchRow } from '../results';

/** fedreport's client against NHS England's Python one on the same sandbox (docs/mesh.md). */
const MESH_TARGET_RATIO = 1.5;

export function meshRow(result: MeshBenchResult): BenchRow {
  const wire = (acceptGzip: boolean) => (acceptGzip ? 'gzip' : 'identity');
  const rate = (messagesPerSecond: number) => `${messagesPerSecond.toFixed(1)} msg/s`;
  const modes = result.modes.map((mode) => {
    const [python, sequential, concurrent] = mode.runs;
    return `${wire(mode.acceptGzip)}: fedreport ${rate(concurrent!.messagesPerSecond)} (1 in flight ${rate(sequential!.messagesPerSecond)}), Python ${rate(python!.messagesPerSecond)}`;
  });
  const { before, after } = result.loadAverage;
  const misses = result.modes.filter((mode) => mode.ratio < MESH_TARGET_RATIO).map((mode) => `${wire(mode.acceptGzip)} ratio ${mode.ratio.toFixed(2)} under ${MESH_TARGET_RATIO}`);
  return {
    figures: `${result.messages} messages × ${result.messageBytes / 1024} KB, best of ${result.rounds}; ${modes.join('; ')}; load ${before.toFixed(1)}→${after.toFixed(1)}`,
    ratio: `${result.modes.map((mode) => `${mode.ratio.toFixed(2)}× (${wire(mode.acceptGzip)})`).join(', ')} Python mesh-client; target ≥ ${MESH_TARGET_RATIO}`,
    ...(misses.length > 0 && { failure: misses.join(', ') }),
  };
}
