/**
 * The engine ceiling of the throughput bench: a workflow that asks Temporal for exactly what the encounter workflow
 * asks for on its way to `acknowledged`, with activities that do nothing (bench/support/ceiling-activities.ts). Its
 * commands mirror a recorded encounter history (test/replay/histories/devserver-two-versions-acknowledged.json, first
 * version: quiet period, two positive acks; 6 workflow tasks):
 *
 * | task | encounter workflow                                   | commands                                          |
 * |------|------------------------------------------------------|---------------------------------------------------|
 * | 1    | started by signalWithStart (the save)                | patch marker, local previousRunSummary, local settings, upsert, timer |
 * | 2    | timer fired                                          | upsert, activity assessEligibility                |
 * | 3    | eligible                                             | local reportIdentity, upsert, activity sendReport |
 * | 4    | sent                                                 | upsert, timer (infra-ack window), timer (idle retention) |
 * | 5    | infrastructure ack signal from the inbox workflow    | cancel timer, timer (business-ack window)         |
 * | 6    | business ack signal                                  | upsert, cancel timer                              |
 *
 * The acks come the same way as the real ones: the MESH inbox workflow (the real one, bundled here too) polls an
 * activity that signals each sent workflow twice. The throughput bench prints both histories' event counts by
 * type, so a change to the encounter workflow that this mirror misses shows in its output.
 */
import {
  condition,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  sleep,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { ConsultationSnapshot } from '../../domain/snapshot';
import type { EncounterActivities } from '../../workflows/encounter-activities';
import {
  CONFIGURATION_ACTIVITY_OPTIONS,
  EXTERNAL_ACTIVITY_OPTIONS,
  PREVIOUS_RUN_LOOKUP_OPTIONS,
} from '../../workflows/encounter-activity-options';
import { acknowledgementReceivedSignal, consultationSavedSignal, type EncounterWorkflowInput, type ReportState } from '../../workflows/encounter-messages';
import { LEAN_ENCOUNTER_PATCH } from '../../workflows/encounter-patches';
import { NEXT_ACTION_TIME, REPORT_MESSAGE_IDS, REPORT_STATUS } from '../../workflows/search-attributes';

export { meshInboxWorkflow } from '../../workflows/mesh-inbox-workflow';

// The encounter workflow's activity options, so retries and timeouts cost the engine the same.
const config = proxyLocalActivities<Pick<EncounterActivities, 'loadPracticeSettings' | 'reportIdentity'>>(
  CONFIGURATION_ACTIVITY_OPTIONS,
);
const external = proxyActivities<Pick<EncounterActivities, 'assessEligibility' | 'sendReport'>>(EXTERNAL_ACTIVITY_OPTIONS);
const lookup = proxyLocalActivities<Pick<EncounterActivities, 'previousRunSummary'>>(PREVIOUS_RUN_LOOKUP_OPTIONS);

export async function engineCeilingWorkflow(input: EncounterWorkflowInput): Promise<void> {
  let snapshot: ConsultationSnapshot | undefined;
  let acknowledgements = 0;
  // Like the encounter's publish(): an upsert only when the status changes (the hook set the first one).
  let published: ReportState = 'waiting-quiet-period';
  const publish = (state: ReportState): void => {
    if (state === published) return;
    published = state;
    upsertSearchAttributes([{ key: REPORT_STATUS, value: state }, ...(state === 'sending' ? [{ key: NEXT_ACTION_TIME, value: null }] : [])]);
  };
  setHandler(consultationSavedSignal, (saved) => void (snapshot = saved));
  // Like reportState(): derived from what arrived, so acks that overtake the send's completion are not overwritten.
  const afterSending = (): ReportState => (acknowledgements >= 2 ? 'acknowledged' : 'awaiting-acknowledgement');
  setHandler(acknowledgementReceivedSignal, () => {
    acknowledgements += 1;
    publish(afterSending());
  });

  patched(LEAN_ENCOUNTER_PATCH);
  await lookup.previousRunSummary({ workflowId: workflowInfo().workflowId, currentRunId: workflowInfo().runId });
  const settings = await config.loadPracticeSettings(input.hostingPracticeOds);
  upsertSearchAttributes([{ key: NEXT_ACTION_TIME, value: new Date(Date.now() + settings.quietPeriodMs) }]);
  await sleep(settings.quietPeriodMs);
  if (!snapshot) throw new Error('started without a save');

  publish('sending');
  const verdict = await external.assessEligibility({ snapshot, requestId: uuid4() });
  if (verdict.verdict !== 'required') throw new Error('the ceiling activities always answer "required"');
  const firstBuiltAt = new Date(Date.now()).toISOString();
  const identity = await config.reportIdentity({ encounterId: input.encounterId, version: 1, firstBuiltAt });
  upsertSearchAttributes({ [REPORT_MESSAGE_IDS.name]: [identity.messageHeaderId] });
  await external.sendReport({
    snapshot,
    version: 1,
    firstBuiltAt,
    registeredPracticeOds: verdict.registeredPracticeOds,
    senderMailbox: settings.senderMailbox,
  });

  publish(afterSending());
  const infrastructureAck = condition(() => acknowledgements >= 1, settings.infrastructureAckWindowMs);
  const idle = condition(() => false, settings.idleRetentionMs);
  await infrastructureAck;
  await condition(() => acknowledgements >= 2, settings.businessAckWindowMs);
  // Like an acknowledged encounter, stay open until the idle retention window passes.
  await idle;
}
