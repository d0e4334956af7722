/**
 * Scenario 3: the worker's MESH URL points at the fault proxy in front of mesh-sandbox. The first POSTs of reports
 * meet refused connections, resets before and after the body (the unknown-outcome path: the workflow waits a minute
 * and reconciles through MESH tracking), 5xx, 429 with Retry-After and stalls; tracking meets a reset too. The PDS
 * double meanwhile answers slowly, with 429 and with 5xx. Each unknown outcome costs the one-minute reconciliation
 * wait (workflows/encounter-workflow.ts), so the timeout allows for a few in a row.
 */
import type { FaultSettings } from '../../../simulators/pds/faults';
import type { Fault } from '../../../test/support/fault-proxy';
import { CHAOS_SENDER_MAILBOX } from '../consultations';
import type { ScenarioResult } from '../scenario-run';
import { runChaosScenario, sleep, type ScenarioOptions, type ScenarioShape } from '../scenario';

const SEND_PATH = new RegExp(`/messageexchange/${CHAOS_SENDER_MAILBOX}/outbox$`);
const TRACKING_PATH = new RegExp(`/messageexchange/${CHAOS_SENDER_MAILBOX}/outbox/tracking`);

export interface MeshFaultPlan {
  /** Faults for the first POSTs of reports, consumed in this order. */
  sends: { fault: Fault; times: number }[];
  /** Tracking lookups that are reset before the body (the client retries reads). */
  trackingResets: number;
  /** How long the proxy refuses connections, once, at a random moment of the send window (0: never). */
  refusedMs: number;
  /** PDS faults, one phase after another, each for `count` Patient reads. */
  pds: FaultSettings[];
}

export interface MeshFaultsShape extends ScenarioShape {
  faults: MeshFaultPlan;
}

const EVERY_FAULT: MeshFaultPlan = {
  sends: [
    { fault: { kind: 'reset-before-body' }, times: 2 },
    { fault: { kind: 'reset-after-body' }, times: 3 },
    { fault: { kind: 'status', status: 503 }, times: 2 },
    { fault: { kind: 'status', status: 500 }, times: 1 },
    { fault: { kind: 'status', status: 429, headers: { 'retry-after': '2' } }, times: 3 },
    { fault: { kind: 'stall' }, times: 2 },
  ],
  trackingResets: 2,
  refusedMs: 4_000,
  pds: [
    { mode: 'slow', delayMs: 3_000, count: 4 },
    { mode: '429', retryAfterSeconds: 1, count: 4 },
    { mode: '5xx', status: 503, count: 4 },
  ],
};

export const MESH_FAULTS_SHAPES: Record<'full' | 'quick', MeshFaultsShape> = {
  full: { consultations: 40, quietPeriod: '2s', submitSpreadMs: 20_000, timeoutMs: 8 * 60_000, faults: EVERY_FAULT },
  quick: { consultations: 16, quietPeriod: '2s', submitSpreadMs: 8_000, timeoutMs: 6 * 60_000, faults: EVERY_FAULT },
};

/** Stalls must end in seconds, not the production minute, or each would hold a send for that long. */
const WORKER_MESH_ENV = {
  FEDREPORT_MESH_READ_TIMEOUT_MS: '5000',
  FEDREPORT_MESH_CONNECT_TIMEOUT_MS: '2000',
  FEDREPORT_MESH_RETRY_BASE_DELAY_MS: '200',
};

export function runMeshFaults(options: ScenarioOptions, shape = MESH_FAULTS_SHAPES[options.quick ? 'quick' : 'full']): Promise<ScenarioResult> {
  return runChaosScenario('mesh-faults', options, {
    shape,
    stack: { meshThroughFaultProxy: true, workerEnv: WORKER_MESH_ENV },
    async chaos({ stack, prng, active }) {
      const proxy = stack.faultProxy!;
      const { faults } = shape;
      for (const { fault, times } of faults.sends) proxy.inject(fault, { method: 'POST', path: SEND_PATH, times });
      if (faults.trackingResets > 0) proxy.inject({ kind: 'reset-before-body' }, { method: 'GET', path: TRACKING_PATH, times: faults.trackingResets });

      const pdsPhases = (async () => {
        for (const phase of faults.pds) {
          if (!active()) break;
          stack.pds.setFaults(phase);
          await sleep(Math.max(1, shape.submitSpreadMs / Math.max(1, faults.pds.length)));
        }
        stack.pds.setFaults({ mode: 'none' });
      })();
      let refused = 0;
      if (faults.refusedMs > 0) {
        await sleep(prng.int(0, shape.submitSpreadMs));
        if (active()) {
          proxy.refuseConnections();
          await sleep(faults.refusedMs);
          proxy.acceptConnections();
          refused = faults.refusedMs;
        }
      }
      await pdsPhases;
      // Faults are met as sends happen: count them once the scenario is over.
      while (active()) await sleep(1_000);
      const injected = proxy.requests.filter((r) => r.fault !== undefined);
      const byKind = new Map<string, number>();
      for (const r of injected) byKind.set(r.fault!, (byKind.get(r.fault!) ?? 0) + 1);
      const pdsFaults = faults.pds.map((p) => `${p.mode}×${p.count ?? '∞'}`).join(', ');
      return `MESH faults met: ${[...byKind].map(([kind, n]) => `${kind}×${n}`).join(', ') || 'none'}; refused ${refused / 1000} s; PDS ${pdsFaults || 'none'}`;
    },
  });
}
