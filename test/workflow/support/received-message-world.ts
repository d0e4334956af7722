/**
 * The received-message workflow on the time-skipping server against scripted activities: what validation decides,
 * the practice's filing settings, the business code PDS would give; answers, filings and alerts are recorded.
 */
import { Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { buildWorkflowBundle } from '../../../worker/bundle';
import { createTimeSkippingEnv } from '../../support/temporal';
import type { FilingSettings } from '../../../domain/document-filing';
import type {
  FilingOutcome,
  ReceivedAnswer,
  ReceivedMessageActivities,
  ReceivedMessageVerdict,
  UnfiledDocumentAlert,
} from '../../../workflows/received-message-activities';
import {
  receivedMessageWorkflow,
  type ReceivedMessageResult,
} from '../../../workflows/received-message-workflow';

export const ANSWER_TO = {
  originalMessageHeaderId: 'ea7221b8-3cc0-4b11-bc95-585b056b5428',
  senderReference: '846ebe66-5ff8-4499-bc57-a112d3d0daa3',
  to: 'Y90001MB01',
  workflowId: 'GPFED_CONSULT_REPORT_ACK',
  format: 'xml' as const,
};

export class World {
  verdict: ReceivedMessageVerdict = { outcome: 'accepted', answerTo: ANSWER_TO, practiceOds: 'Y90002' };
  settings: FilingSettings = { mode: 'when-filed', unfiledAlertAfterMs: 24 * 3_600_000 };
  businessCode = '30001';
  answers: ReceivedAnswer[] = [];
  filings: FilingOutcome[] = [];
  alerts: UnfiledDocumentAlert[] = [];
  accepted = 0;
  /** What later copies (another MESH message id) are decided as: a duplicate. */
  laterVerdict: ReceivedMessageVerdict = {
    outcome: 'rejected',
    answerTo: ANSWER_TO,
    code: '20007',
    diagnostics: 'a message with this MessageHeader id was received before',
  };
  /** The MESH message ids decided, in order: the run's own copy first. */
  decided: string[] = [];

  activities(): ReceivedMessageActivities {
    return {
      acceptReceivedMessage: async ({ meshMessageId }) => {
        this.decided.push(meshMessageId);
        if (this.decided.length > 1) return this.laterVerdict;
        this.accepted++;
        return this.verdict;
      },
      sendReceivedMessageAnswer: async (answer) => void this.answers.push(answer),
      filingSettingsOf: async () => this.settings,
      decideBusinessAnswer: async () => this.businessCode,
      recordFilingOutcome: async ({ filing }) => void this.filings.push(filing),
      raiseReceivedDocumentAlert: async (alert) => void this.alerts.push(alert),
    };
  }

  codes(): string[] {
    return this.answers.map((a) => a.code);
  }
}

/** One test file's environment and bundle, and a runner of one message per call. */
export function useReceivedMessageWorld(taskQueue: string) {
  let env: TestWorkflowEnvironment;
  let bundle: WorkflowBundleWithSourceMap;
  let sequence = 0;

  beforeAll(async () => {
    [env, bundle] = await Promise.all([createTimeSkippingEnv(), buildWorkflowBundle()]);
  }, 120_000);
  afterAll(() => env?.teardown());

  async function run(
    world: World,
    drive: (handle: WorkflowHandle<typeof receivedMessageWorkflow>) => Promise<void> = async () => undefined,
  ): Promise<ReceivedMessageResult> {
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: bundle,
      activities: world.activities(),
    });
    return worker.runUntil(async () => {
      sequence += 1;
      const handle = await env.client.workflow.start(receivedMessageWorkflow, {
        taskQueue,
        workflowId: `received-test-${sequence}`,
        args: [
          {
            mailbox: 'Y90002MB01',
            meshMessageId: `MESH-${sequence}`,
            meshWorkflowId: 'GPFED_CONSULT_REPORT',
            meshSender: 'Y90001MB01',
            receivedAt: '2026-11-20T14:00:00Z',
          },
        ],
      });
      await drive(handle);
      return handle.result();
    });
  }

  return { env: () => env, run };
}
