/**
 * The part every chaos scenario shares: save the planned consultations (spread over a window, each one's revisions
 * back to back), let the scenario's chaos run beside them, wait until every encounter settles (bounded), then judge
 * the invariant from the recipient side. The scenario supplies the stack and the chaos; this supplies the rest.
 */
import type { Prng } from '../../test/chaos/support/prng';
import type { ChaosStack } from './chaos-stack';
import { savedNow, type PlannedConsultation } from './consultations';
import { queryStatuses, visibleEncounters, waitUntilSettled } from './encounter-census';
import { checkArchive } from './archive-ledger';
import { deliveredMessageIds } from './recipient-ledger';
import { failureEvidence, judgeEncounter, scenarioVerdict, type ScenarioVerdict } from './verdict';

/** A save that fails (the dev server is restarting) is retried like a clinical system's hook would, this long. */
const SAVE_RETRY_WINDOW_MS = 90_000;

export interface ChaosContext {
  stack: ChaosStack;
  prng: Prng;
  /** True until every encounter has settled or the scenario's time is up: chaos should stop when it turns false. */
  active: () => boolean;
}

export interface ScenarioRunOptions {
  stack: ChaosStack;
  plan: PlannedConsultation[];
  prng: Prng;
  /** Saves are spread at random over this window. */
  submitSpreadMs: number;
  /** From the start until the verdict at the latest. */
  timeoutMs: number;
  /** Runs beside the saves; resolves with a short description of what it did (e.g. `7 kills`). */
  chaos: (context: ChaosContext) => Promise<string>;
  log(line: string): void;
}

export interface ScenarioResult {
  consultations: number;
  saves: number;
  chaos: string;
  settledInTime: boolean;
  elapsedMs: number;
  verdict: ScenarioVerdict;
  /** Status and history of the encounters that broke the invariant. */
  evidence: string[];
}

export async function runScenario(options: ScenarioRunOptions): Promise<ScenarioResult> {
  const { stack, plan, prng } = options;
  const started = Date.now();
  const deadline = started + options.timeoutMs;
  const ids = plan.map((c) => c.encounterId);
  let settled = false;
  const active = (): boolean => !settled && Date.now() < deadline;

  for (const worker of stack.workers) worker.start();
  const offsets = plan.map(() => prng.int(0, options.submitSpreadMs));
  const saving = Promise.all(plan.map((c, i) => saveAll(stack, c, offsets[i]!)));
  const chaos = options.chaos({ stack, prng, active });
  await saving;
  options.log(`saved ${plan.length} consultations`);

  let lastReport = 0;
  settled = await waitUntilSettled(stack.client, ids, deadline, (count) => {
    if (Date.now() - lastReport < 10_000) return;
    lastReport = Date.now();
    options.log(`${count}/${ids.length} settled after ${Math.round((Date.now() - started) / 1000)} s; workers ${JSON.stringify(stack.workers.map((w) => w.stats()))}`);
  });
  const chaosDone = await chaos;
  for (const worker of stack.workers) worker.start(); // the verdict queries every workflow, which needs a worker
  const elapsedMs = Date.now() - started;

  const [visible, statuses] = [await visibleEncounters(stack.client, ids), await queryStatuses(stack.client, ids)];
  // Only this scenario's reports: a shared sandbox's mailboxes may hold other tests' messages.
  const ours = new Set([...visible.values()].flatMap((v) => v.messageHeaderIds));
  const delivered = new Map([...deliveredMessageIds(stack.mesh.dataDir, Object.keys(stack.practice.stats().mailboxes))].filter(([localId]) => ours.has(localId)));
  const recipientMessages = new Map([...delivered].map(([localId, ids]) => [localId, ids.length]));
  const judgements = plan.map((c) => judgeEncounter(c, statuses.get(c.encounterId) ?? null, visible.get(c.encounterId), recipientMessages));
  const mailboxStats = Object.values(stack.practice.stats().mailboxes);
  const simulator = {
    received: mailboxStats.reduce((sum, m) => sum + m.received, 0),
    duplicates: mailboxStats.reduce((sum, m) => sum + m.duplicates, 0),
  };
  const verdict = scenarioVerdict(judgements, simulator, await checkArchive(stack.databaseUrl, delivered));
  return {
    consultations: plan.length,
    saves: plan.reduce((sum, c) => sum + c.saves.length, 0),
    chaos: chaosDone,
    settledInTime: settled,
    elapsedMs,
    verdict,
    evidence: verdict.passed ? [] : await failureEvidence(stack.client, verdict),
  };
}

async function saveAll(stack: ChaosStack, consultation: PlannedConsultation, afterMs: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, afterMs));
  for (const snapshot of consultation.saves) {
    const giveUpAt = Date.now() + SAVE_RETRY_WINDOW_MS;
    for (;;) {
      try {
        await stack.save(savedNow(snapshot));
        break;
      } catch (error) {
        if (Date.now() > giveUpAt) throw error;
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
    }
  }
}
