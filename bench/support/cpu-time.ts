/**
 * CPU time by process, from the kernel's own accounting (/proc/<pid>/stat, Linux): how much of the machine each part
 * of the stack costs per consultation, which on a shared 2-core machine is what bounds throughput.
 */
import fs from 'node:fs';

/** Linux reports utime and stime in clock ticks; USER_HZ is 100 on every mainstream architecture. */
const CLOCK_TICKS_PER_SECOND = 100;

export type CpuSampler = () => Record<string, number>;

/** Seconds of CPU (user + system) each named process has used so far; this process via process.cpuUsage. */
export function cpuSampler(processes: Record<string, number | undefined>): CpuSampler {
  return () => {
    const seconds: Record<string, number> = {};
    for (const [name, pid] of Object.entries(processes)) {
      if (pid === undefined) continue;
      // Fields after the parenthesised command name: state is field 3, utime 14, stime 15.
      const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
      seconds[name] = (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
    }
    const own = process.cpuUsage();
    seconds['bench and in-process worker'] = (own.user + own.system) / 1e6;
    return seconds;
  };
}

/** CPU milliseconds per item between two samples, by process: `dev server 41.2, mesh-sandbox 30.1, …`. */
export function cpuMsPerItem(before: Record<string, number>, after: Record<string, number>, items: number): Record<string, number> {
  return Object.fromEntries(Object.keys(after).map((name) => [name, ((after[name]! - (before[name] ?? 0)) * 1000) / items]));
}

export function formatCpu(perItem: Record<string, number>): string {
  const total = Object.values(perItem).reduce((sum, ms) => sum + ms, 0);
  return `${Object.entries(perItem).map(([name, ms]) => `${name} ${ms.toFixed(1)}`).join(', ')}; total ${total.toFixed(1)} ms`;
}
