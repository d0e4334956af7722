/**
 * The engine ceiling's side of the throughput bench: activities with the encounter workflow's names and shapes that
 * do nothing, so the worker factory runs them exactly as it runs the real adapters; the ceiling workflows' bundle;
 * and the call that starts a ceiling workflow the way the hook starts an encounter (signalWithStart, same payload).
 * "Sending" queues the workflow; the inbox poll signals each queued workflow its two acknowledgements, as the real
 * inbox routes two ITK3 acks per report.
 */
import crypto from 'node:crypto';
import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { consultationSavedStart } from '../../client/encounters';
import { FAILURE_CONVERTER_PATH } from '../../common/data-converter';
import type { ConsultationSnapshot } from '../../domain/snapshot';
import type { EncounterActivities, PracticeSettingsView } from '../../workflows/encounter-activities';
import { acknowledgementReceivedSignal, type AcknowledgementReceived } from '../../workflows/encounter-messages';
import type { InboxActivities } from '../../workflows/mesh-inbox-activities';
import { EMPTY_POLL_SUMMARY } from '../../workflows/mesh-inbox-workflow';
import type { engineCeilingWorkflow } from './ceiling-workflows';

export const CEILING_TASK_QUEUE = 'fedreport-bench-engine-ceiling';
export const CEILING_WORKFLOW_TYPE = 'engineCeilingWorkflow';
/** The ceiling's inbox poller is the real inbox workflow, under a mailbox name no MESH knows. */
export const CEILING_INBOX_MAILBOX = 'CEILING';

export function buildCeilingBundle(): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({
    workflowsPath: require.resolve('./ceiling-workflows'),
    failureConverterPath: FAILURE_CONVERTER_PATH,
    logger: new DefaultLogger('WARN'),
  });
}

export function ceilingWorkflowId(encounterId: string): string {
  return `ceiling-${encounterId}`;
}

/** Starts (or signals) a ceiling workflow with the encounter's arguments, save signal and search attributes. */
export async function submitToCeiling(client: Client, snapshot: ConsultationSnapshot): Promise<void> {
  await client.workflow.signalWithStart<typeof engineCeilingWorkflow, [ConsultationSnapshot]>(CEILING_WORKFLOW_TYPE, {
    workflowId: ceilingWorkflowId(snapshot.encounterId),
    taskQueue: CEILING_TASK_QUEUE,
    ...consultationSavedStart(snapshot),
  });
}

export function createCeilingActivities(client: Client, settings: PracticeSettingsView): EncounterActivities & InboxActivities {
  /** Workflows whose report was "sent" and whose acknowledgements the next inbox poll delivers. */
  const sent: { workflowId: string; messageHeaderId: string }[] = [];
  const acknowledgement = (messageHeaderId: string, kind: AcknowledgementReceived['kind']): AcknowledgementReceived => ({
    messageHeaderId,
    kind,
    code: kind === 'infrastructure' ? '20013' : '30001',
    positive: true,
    receivedAt: new Date().toISOString(),
  });
  return {
    loadPracticeSettings: async () => settings,
    previousRunSummary: async () => null,
    assessEligibility: async () => ({ verdict: 'required', registeredPracticeOds: 'Y90002', reason: 'engine ceiling' }),
    reportIdentity: async () => ({ messageHeaderId: crypto.randomUUID(), documentIdentifier: crypto.randomUUID(), localId: crypto.randomUUID() }),
    async sendReport() {
      const workflowId = Context.current().info.workflowExecution?.workflowId;
      if (!workflowId) throw new Error('sendReport runs only inside a workflow');
      sent.push({ workflowId, messageHeaderId: crypto.randomUUID() });
      return { meshMessageId: crypto.randomUUID() };
    },
    reconcileUnknownSend: async () => ({ status: 'not-found' }),
    raiseAlert: async () => undefined,
    handshakeMailbox: async () => undefined,
    replayQuarantined: async () => ({ outcome: 'not-found', detail: 'the engine ceiling quarantines nothing' }),
    raiseInboxAlert: async () => undefined,
    async processInbox() {
      let delivered = 0;
      // Taken off the queue only once signalled, so a retried poll delivers what a failed one did not.
      for (let next = sent[0]; next; next = sent[0]) {
        const handle = client.workflow.getHandle(next.workflowId);
        await handle.signal(acknowledgementReceivedSignal, acknowledgement(next.messageHeaderId, 'infrastructure'));
        await handle.signal(acknowledgementReceivedSignal, acknowledgement(next.messageHeaderId, 'business'));
        sent.shift();
        delivered += 2;
      }
      return { ...EMPTY_POLL_SUMMARY, downloaded: delivered, acknowledgements: delivered, attempts: {}, alerts: [] };
    },
  };
}
