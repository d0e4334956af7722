/** A fuzz run as people read it: the seed to replay it, rates, the status histogram, invariants, findings. */
import { FUZZ_SEED_ENV } from '../prng';
import type { FuzzFinding, FuzzReport } from './fuzz-run';

export interface FindingGroup {
  label: string;
  problem: string;
  count: number;
  /** The first case showing it: regenerated at this position by the same seed. */
  firstCase: number;
}

/** Findings grouped by case label and problem, largest groups first. */
export function groupFindings(findings: FuzzFinding[]): FindingGroup[] {
  const groups = new Map<string, FindingGroup>();
  for (const { label, problem, caseIndex } of findings) {
    const key = `${label}\u0000${problem}`;
    const group = groups.get(key) ?? { label, problem, count: 0, firstCase: caseIndex };
    group.count += 1;
    groups.set(key, group);
  }
  return [...groups.values()].sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
}

export const statusHistogram = (statuses: Record<string, number>): string =>
  Object.entries(statuses)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([status, count]) => `${status}×${count}`)
    .join(' ');

export function formatFuzzReport(report: FuzzReport): string {
  const lines = [
    `API fuzz: seed ${report.seed} (replay with ${FUZZ_SEED_ENV}=${report.seed})`,
    `  ${report.requests} requests${report.completed ? '' : ' (time budget ran out before all were sent)'} in ${report.seconds.toFixed(1)} s: ${report.requestsPerSecond.toFixed(1)} requests/s, latency p50 ${report.latencyMs.p50.toFixed(1)} ms, p99 ${report.latencyMs.p99.toFixed(1)} ms, max ${report.latencyMs.max.toFixed(1)} ms`,
    `  statuses: ${statusHistogram(report.statuses)}`,
    `  ${report.validRequests} unusual but valid requests among them (accepted by the contract)`,
    `  crashes ${report.crashes}, 5xx ${report.serverErrors}, workflows started ${report.workflowsStarted} (controls and valid requests), for invalid input ${report.workflowsStartedForInvalidInput}`,
    `  API log: ${report.errorLogLines} error lines, ${report.sensitiveLogLines} lines with patient data or the token`,
    `  findings: ${report.findings.length}`,
    ...groupFindings(report.findings).map(
      (group) =>
        `    ${String(group.count).padStart(4)} × ${group.label}: ${group.problem} (first at case ${group.firstCase})`,
    ),
  ];
  return lines.join('\n');
}
