/**
 * Update storm: 200 saves (50 with --quick) of one consultation, each a newer revision inside the quiet period, must
 * produce exactly one report (the simulator's count for the patient's registered practice's mailbox, where the MESH
 * router delivers it), carrying the last revision. Prints the history events of each run (the workflow continues as
 * new past 2,000 events) and their total. Baseline in the same run: the same workflow with a single save, for the
 * other bench patient (registered at another practice, so its report lands in another mailbox).
 * `npm run bench -- storm [--quick]`.
 */
import { encounterStatus, submitConsultationSaved } from '../client/encounters';
import { encounterWorkflowId } from '../workflows/encounter-identity';
import type { BenchRow } from './results';
import { benchConsultation, benchPracticeMailbox, benchRecipientMailboxes, waitUntil } from './support/consultations';
import { historiesOfChain } from './support/histories';
import { startBenchStack } from './support/stack';

/** Long enough that no pause between two saves on a loaded machine lets the period run out mid-storm. */
const QUIET_PERIOD = '10s';
const STORM_PATIENT = 0;
const BASELINE_PATIENT = 1;

export interface StormResult {
  saves: number;
  /** Reports the storm patient's practice mailbox received: 1 is the only right answer. */
  reports: number;
  /** The revision the encounter reports as its latest, and the report version it reached. */
  latestRevision: number;
  reportVersion: number;
  eventsPerRun: number[];
  baselineEvents: number;
  seconds: number;
}

export async function runStormBench(opts: { quick: boolean }): Promise<StormResult> {
  const saves = opts.quick ? 50 : 200;
  const stack = await startBenchStack({ name: 'storm', quietPeriod: QUIET_PERIOD, recipientMailboxes: benchRecipientMailboxes() });
  try {
    await stack.startWorker();
    const practice = await stack.startSimulator();
    const baseline = benchConsultation(BASELINE_PATIENT);
    const storm = benchConsultation(STORM_PATIENT);
    const stormMailbox = benchPracticeMailbox(STORM_PATIENT);
    await submitConsultationSaved(stack.client, baseline);

    const started = performance.now();
    // One save at a time, as one clinical system saves: each a newer revision, saved now.
    for (let revision = 1; revision <= saves; revision += 1) {
      await submitConsultationSaved(stack.client, { ...storm, revision, savedAt: new Date().toISOString() });
    }
    const seconds = (performance.now() - started) / 1000;
    const acknowledged = async (encounterId: string) => (await encounterStatus(stack.client, encounterId))?.state === 'acknowledged';
    await waitUntil('the storm and the baseline encounters acknowledged', async () => (await acknowledged(storm.encounterId)) && (await acknowledged(baseline.encounterId)), {
      timeoutMs: 5 * 60_000,
      intervalMs: 500,
    });
    // A second report would go out only after another quiet period: wait one before counting.
    await new Promise((resolve) => setTimeout(resolve, 12_000));

    const status = await encounterStatus(stack.client, storm.encounterId);
    const runs = await historiesOfChain(stack.client, encounterWorkflowId(storm.encounterId));
    const [baselineRun] = await historiesOfChain(stack.client, encounterWorkflowId(baseline.encounterId));
    const result: StormResult = {
      saves,
      reports: (await practice.stats()).mailboxes[stormMailbox]?.received ?? 0,
      latestRevision: status?.latestRevision ?? 0,
      reportVersion: status?.reportVersion ?? 0,
      eventsPerRun: runs.map((events) => events.length),
      baselineEvents: baselineRun?.length ?? 0,
      seconds,
    };
    const total = result.eventsPerRun.reduce((sum, n) => sum + n, 0);
    console.log(
      `update storm: ${saves} saves of one consultation in ${seconds.toFixed(1)} s (quiet period ${QUIET_PERIOD})\n` +
        `  reports received ${result.reports} (version ${result.reportVersion}, latest revision ${result.latestRevision})\n` +
        `  history events per run: ${result.eventsPerRun.join(' + ')} = ${total} in ${runs.length} run(s); single save: ${result.baselineEvents}`,
    );
    return result;
  } finally {
    await stack.close();
  }
}

export function stormRow(result: StormResult): BenchRow {
  const total = result.eventsPerRun.reduce((sum, n) => sum + n, 0);
  const violations = [
    result.reports !== 1 ? `${result.reports} reports for one consultation` : '',
    result.reportVersion !== 1 ? `report version ${result.reportVersion}` : '',
    result.latestRevision !== result.saves ? `latest revision ${result.latestRevision} of ${result.saves}` : '',
  ].filter(Boolean);
  return {
    figures: `${result.saves} saves in ${result.seconds.toFixed(1)} s → ${result.reports} report (revision ${result.latestRevision}); history events per run ${result.eventsPerRun.join(' + ')} = ${total} (${(total / result.saves).toFixed(1)} per save)`,
    ratio: `${(total / result.baselineEvents).toFixed(1)}× the events of a single save (${result.baselineEvents})`,
    ...(violations.length > 0 && { failure: violations.join(', ') }),
  };
}
