/**
 * The engine ceiling of the throughput bench: a workflow that asks Temporal for exactly what the encounter workflow
 * asks for on its way to `acknowledged`, with activities that do nothing (bench/support/ceiling-activities.ts). Its
 * commands mirror a recorded encounter history (quiet period 1 s, two positive acks; 54 events, 7 workflow tasks):
 *
 * | task | encounter workflow                                     | commands                                  |
 * |------|--------------------------------------------------------|-------------------------------------------|
 * | 1    | started by signalWithStart (the save)                  | upsert, activity previousRunSummary       |
 * | 2    | settings, idle wait wakes, settings again, quiet period | upsert, local ×2 with upserts, timer      |
 * | 3    | timer fired                                            | upsert, activity assessEligibility        |
 * | 4    | eligible                                               | local reportIdentity, upsert, activity sendReport |
 * | 5    | sent                                                   | upsert, timer (infra-ack window), upsert, timer (idle retention) |
 * | 6, 7 | ack signals from the inbox workflow                    | upsert, cancel timer (+ business-ack timer) |
 *
 * The acks come the same way as the real ones: the MESH inbox workflow (the real one, bundled here too) polls an
 * activity that signals each sent workflow twice. The throughput bench prints both histories' event counts by
 * type, so a change to the encounter workflow that this mirror misses shows in its output.
 */
import {
  condition,
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
  HOUSEKEEPING_ACTIVITY_OPTIONS,
} from '../../workflows/encounter-activity-options';
import { acknowledgementReceivedSignal, consultationSavedSignal, type EncounterWorkflowInput, type ReportState } from '../../workflows/encounter-messages';
import { REPORT_MESSAGE_IDS, REPORT_STATUS } from '../../workflows/search-attributes';

export { meshInboxWorkflow } from '../../workflows/mesh-inbox-workflow';

// The encounter workflow's activity options, so retries and timeouts cost the engine the same.
const config = proxyLocalActivities<Pick<EncounterActivities, 'loadPracticeSettings' | 'reportIdentity'>>(
  CONFIGURATION_ACTIVITY_OPTIONS,
);
const external = proxyActivities<Pick<EncounterActivities, 'assessEligibility' | 'sendReport'>>(EXTERNAL_ACTIVITY_OPTIONS);
const housekeeping = proxyActivities<Pick<EncounterActivities, 'previousRunSummary'>>(HOUSEKEEPING_ACTIVITY_OPTIONS);

export async function engineCeilingWorkflow(input: EncounterWorkflowInput): Promise<void> {
  let snapshot: ConsultationSnapshot | undefined;
  let acknowledgements = 0;
  const publish = (state: ReportState): void => upsertSearchAttributes({ [REPORT_STATUS.name]: [state] });
  setHandler(consultationSavedSignal, (saved) => void (snapshot = saved));
  // Like reportState(): derived from what arrived, so acks that overtake the send's completion are not overwritten.
  const afterSending = (): ReportState => (acknowledgements >= 2 ? 'acknowledged' : 'awaiting-acknowledgement');
  setHandler(acknowledgementReceivedSignal, () => {
    acknowledgements += 1;
    publish(afterSending());
  });

  publish('waiting-quiet-period');
  await housekeeping.previousRunSummary({ workflowId: workflowInfo().workflowId, currentRunId: workflowInfo().runId });
  publish('waiting-quiet-period');
  const settings = await config.loadPracticeSettings(input.hostingPracticeOds);
  publish('waiting-quiet-period');
  await config.loadPracticeSettings(input.hostingPracticeOds);
  publish('waiting-quiet-period');
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
  publish(afterSending());
  const idle = condition(() => false, settings.idleRetentionMs);
  await infrastructureAck;
  await condition(() => acknowledgements >= 2, settings.businessAckWindowMs);
  // Like an acknowledged encounter, stay open until the idle retention window passes.
  await idle;
}
