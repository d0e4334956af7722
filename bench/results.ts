/**
 * The results table of docs/performance.md: every benchmark run adds one row (date, machine, commit, target,
 * figures, ratio to the baseline measured in the same run), so the document is updated by the bench command itself.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../tooling/paths';

export const PERFORMANCE_DOC = path.join(PROJECT_ROOT, 'docs', 'performance.md');

/** The table's columns: the row writer finds the table by its header line, however Prettier pads it. */
const RESULTS_COLUMNS = ['date', 'machine', 'commit', 'target', 'figures', 'ratio to the same-run baseline'];

/** What one benchmark run contributes to the table. */
export interface BenchRow {
  /** The run's headline figures, e.g. `median 4.1 ms, 38 KB per report`. */
  figures: string;
  /** The measured figure over the baseline measured in the same run, naming the baseline. */
  ratio: string;
  /** Set when the run missed an acceptance criterion: recorded in the row, and the command exits non-zero. */
  failure?: string;
}

export class ResultsTableError extends Error {
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super(`cannot record the benchmark result in ${path.relative(PROJECT_ROOT, file)}: ${reason}`);
    this.name = 'ResultsTableError';
  }
}

/** Adds the run's row at the end of the results table and returns the row as written. */
export function recordResult(target: string, row: BenchRow, file = PERFORMANCE_DOC): string {
  const line = tableRow([
    new Date().toISOString().slice(0, 10),
    machine(),
    commit(),
    target,
    row.failure ? `**failed: ${row.failure}**; ${row.figures}` : row.figures,
    row.ratio,
  ]);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new ResultsTableError(file, (error as NodeJS.ErrnoException).code ?? 'unreadable');
  }
  const lines = text.split('\n');
  const header = lines.findIndex((candidate) => cellsOf(candidate).join('|') === RESULTS_COLUMNS.join('|'));
  if (header < 0)
    throw new ResultsTableError(file, `no table with the columns ${RESULTS_COLUMNS.join(', ')}`);
  let end = header + 1;
  while (lines[end]?.startsWith('|')) end += 1;
  lines.splice(end, 0, line);
  fs.writeFileSync(file, lines.join('\n'));
  return line;
}

/** Cores and memory, as the operating system reports them. */
function machine(): string {
  return `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM`;
}

function commit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: PROJECT_ROOT,
      encoding: 'utf8',
    }).trim();
  } catch {
    return 'unknown (no git)';
  }
}

/** The trimmed cells of a markdown table line (none for any other line). */
function cellsOf(line: string): string[] {
  const trimmed = line.trim();
  if (!trimmed.startsWith('|') || !trimmed.endsWith('|')) return [];
  return trimmed
    .slice(1, -1)
    .split('|')
    .map((cell) => cell.trim());
}

/** A markdown table row; a `|` or a line break inside a cell would end the cell or the row. */
function tableRow(cells: string[]): string {
  return `| ${cells.map((cell) => cell.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ')).join(' | ')} |`;
}
