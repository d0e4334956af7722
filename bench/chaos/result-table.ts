/** The table each scenario prints, and the docs/performance.md row it can record (bench/results.ts). */
import type { BenchRow } from '../results';
import type { ScenarioResult } from './scenario-run';

const COLUMNS = ['scenario', 'seed', 'consultations (saves)', 'delivered once', 'not required', 'alerted', 'lost', 'duplicates', 'stuck', 'recipient messages', 'simulator received (dup. answers)', 'archived once (missing, mismatched)', 'settled in', 'chaos'];

export function resultTable(name: string, seed: number, result: ScenarioResult): string {
  const { counts } = result.verdict;
  const cells = [
    name,
    String(seed),
    `${result.consultations} (${result.saves})`,
    String(counts.delivered),
    String(counts['not-required']),
    String(counts.alerted),
    String(counts.lost),
    String(counts.duplicate),
    String(counts.stuck),
    String(result.verdict.recipientMessages),
    `${result.verdict.simulatorReceived} (${result.verdict.simulatorDuplicates})`,
    archiveCell(result),
    result.settledInTime ? `${Math.round(result.elapsedMs / 1000)} s` : `not in ${Math.round(result.elapsedMs / 1000)} s`,
    result.chaos,
  ];
  return [row(COLUMNS), row(COLUMNS.map(() => '---')), row(cells), '', result.verdict.passed ? 'invariant held' : 'INVARIANT BROKEN', ...result.evidence].join('\n');
}

export function resultRow(seed: number, result: ScenarioResult): BenchRow {
  const { counts } = result.verdict;
  const { archive } = result.verdict;
  const figures = `seed ${seed}; ${result.consultations} consultations; ${result.chaos}; delivered once ${counts.delivered}, not required ${counts['not-required']}, alerted ${counts.alerted}; archived once ${archiveCell(result)}; settled in ${Math.round(result.elapsedMs / 1000)} s`;
  const broken = counts.lost + counts.duplicate + counts.stuck + result.verdict.simulatorDuplicates + archive.missing + archive.mismatched;
  const archiveFaults = `archive missing ${archive.missing}, mismatched ${archive.mismatched}`;
  return {
    figures,
    ratio: `lost ${counts.lost}, duplicates ${counts.duplicate}, stuck ${counts.stuck}, ${archiveFaults} (invariant: all 0)`,
    ...(broken > 0 && { failure: `invariant broken (lost ${counts.lost}, duplicates ${counts.duplicate}, stuck ${counts.stuck}, ${archiveFaults})` }),
  };
}

/** `98/98 (0, 0)`: delivered reports archived exactly once, of those delivered; then missing and mismatched copies. */
function archiveCell(result: ScenarioResult): string {
  const { archive } = result.verdict;
  return `${archive.archivedOnce}/${archive.delivered} (${archive.missing}, ${archive.mismatched})`;
}

function row(cells: string[]): string {
  return `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
}
