/**
 * Finding the encounter an answer belongs to, and getting the answer to it whatever became of its run. ITK3 answers
 * route by the MessageHeader id they quote; answers to a message the responder could not read (10009) by the
 * SenderReference they echo (our encounter GUID) or the Mex-LocalID MESH carried back; MESH REPORTs by the MESH
 * message id they link, then by our local id. A run that completed, continued as new or was terminated still gets
 * the answer: the signal goes to the workflow id (Temporal's current run) and, when no run is open, starts one with it.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { SignalDefinition } from '@temporalio/common';
import { encounterIdFromWorkflowId, encounterWorkflowId } from '../../workflows/encounter-identity';
import { ENCOUNTER_WORKFLOW_TYPE } from '../../workflows/encounter-messages';
import { PRACTICE_ODS, REPORT_MESSAGE_IDS } from '../../workflows/search-attributes';
import type { SentMessageDirectory } from './sent-message-directory';

/** Our MessageHeader ids, encounter GUIDs and Mex-LocalIDs are UUIDs; nothing else goes into a visibility query. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface AnswerRouterDependencies {
  temporal: Client;
  sentMessages?: SentMessageDirectory;
  /** The practice whose mailbox is polled: the hosting practice when an answer has to start a new encounter run. */
  practiceOfMailbox: (mailbox: string) => Promise<string | undefined>;
}

export interface AnswerRouter {
  /** The encounter that sent our message with this MessageHeader id (also its Mex-LocalID). */
  byMessageHeaderId(messageHeaderId: string | undefined): Promise<string | undefined>;
  /** The encounter whose GUID an answer echoes as SenderReference, if such an encounter was ever started. */
  bySenderReference(senderReference: string | undefined): Promise<string | undefined>;
  /** The encounter that sent the MESH message with this id, as this worker remembers it. */
  byMeshMessageId(meshMessageId: string | undefined): string | undefined;
  /** Signals the encounter's current run, or starts a run with the signal when none is open. */
  deliver<T>(target: Delivery<T>): Promise<void>;
}

export interface Delivery<T> {
  workflowId: string;
  signal: SignalDefinition<[T]>;
  payload: T;
  mailbox: string;
  /** Where a new run is started: the worker's own task queue. */
  taskQueue: string;
}

export function createAnswerRouter(deps: AnswerRouterDependencies): AnswerRouter {
  const workflows = deps.temporal.workflow;

  async function byMessageHeaderId(messageHeaderId: string | undefined): Promise<string | undefined> {
    if (!messageHeaderId || !UUID.test(messageHeaderId)) return undefined;
    const known = deps.sentMessages?.workflowIdFor(messageHeaderId);
    if (known) return known;
    for await (const execution of workflows.list({
      query: `${REPORT_MESSAGE_IDS.name} = '${messageHeaderId}'`,
    })) {
      deps.sentMessages?.remember(messageHeaderId, execution.workflowId);
      return execution.workflowId;
    }
    return undefined;
  }

  async function bySenderReference(senderReference: string | undefined): Promise<string | undefined> {
    if (!senderReference || !UUID.test(senderReference)) return undefined;
    const workflowId = encounterWorkflowId(senderReference);
    // Only an encounter that exists: an answer must never create an encounter nobody submitted.
    return (await describeOrNothing(workflowId)) ? workflowId : undefined;
  }

  async function describeOrNothing(workflowId: string) {
    try {
      return await workflows.getHandle(workflowId).describe();
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return undefined;
      throw error;
    }
  }

  /** The practice the encounter's last run hosted (PracticeOds), else the practice of the polled mailbox. */
  async function hostingPracticeOf(workflowId: string, mailbox: string): Promise<string> {
    const recorded = (await describeOrNothing(workflowId))?.typedSearchAttributes.get(PRACTICE_ODS);
    const practice = recorded ?? (await deps.practiceOfMailbox(mailbox));
    if (!practice) throw new Error(`no practice polls mailbox ${mailbox}: cannot restart ${workflowId}`);
    return practice;
  }

  async function deliver<T>({ workflowId, signal, payload, mailbox, taskQueue }: Delivery<T>): Promise<void> {
    try {
      await workflows.getHandle(workflowId).signal(signal, payload);
      return;
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) throw error;
    }
    const encounterId = encounterIdFromWorkflowId(workflowId);
    if (!encounterId) throw new Error(`${workflowId} is not an encounter workflow`);
    const hostingPracticeOds = await hostingPracticeOf(workflowId, mailbox);
    await workflows.signalWithStart(ENCOUNTER_WORKFLOW_TYPE, {
      workflowId,
      taskQueue,
      args: [{ encounterId, hostingPracticeOds }],
      signal,
      signalArgs: [payload],
    });
  }

  return {
    byMessageHeaderId,
    bySenderReference,
    byMeshMessageId: (id) => (id ? deps.sentMessages?.workflowIdForMeshMessage(id) : undefined),
    deliver,
  };
}
