/**
 * Builds a fedreport worker (both workflows on one task queue) and starts the MESH inbox pollers for the sending
 * mailboxes. Used by worker/main.ts, the integration tests and the benchmarks, so they all run the same wiring.
 */
import type { Client } from '@temporalio/client';
import { NativeConnection, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { DataConverter } from '@temporalio/common';
import type { Tracing } from '../common/tracing';
import type { EncounterActivities } from '../workflows/encounter-activities';
import type { InboxActivities } from '../workflows/mesh-inbox-activities';
import { meshInboxWorkflowId, type meshInboxWorkflow } from '../workflows/mesh-inbox-workflow';
import { workerTracingOptions } from './tracing';

export interface FedreportWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  dataConverter: DataConverter;
  workflowBundle: WorkflowBundleWithSourceMap | { code: string };
  activities: EncounterActivities & InboxActivities;
  /** Workflows kept in memory between tasks (FEDREPORT_MAX_CACHED_WORKFLOWS); the SDK derives one from the heap when unset. */
  maxCachedWorkflows?: number;
  /** Workflow spans go to its span processor; activity spans are made only when it is enabled. Off when omitted. */
  tracing?: Tracing;
}

export function createFedreportWorker(options: FedreportWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    dataConverter: options.dataConverter,
    workflowBundle: options.workflowBundle,
    activities: options.activities,
    maxCachedWorkflows: options.maxCachedWorkflows,
    ...workerTracingOptions(options.tracing),
  });
}

/** One poller per mailbox; an already running poller is kept (its id is the mailbox), so restarts are harmless. */
export async function startInboxPollers(client: Client, options: { mailboxes: string[]; taskQueue: string; pollIntervalMs: number }): Promise<void> {
  for (const mailbox of new Set(options.mailboxes.map((m) => m.toUpperCase()))) {
    await client.workflow.start<typeof meshInboxWorkflow>('meshInboxWorkflow', {
      workflowId: meshInboxWorkflowId(mailbox),
      taskQueue: options.taskQueue,
      args: [{ mailbox, pollIntervalMs: options.pollIntervalMs }],
      workflowIdConflictPolicy: 'USE_EXISTING',
    });
  }
}
