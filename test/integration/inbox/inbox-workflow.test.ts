/**
 * The MESH inbox workflow on the dev server with stand-in activities: each message's attempts travel from poll to
 * poll (and across continue-as-new) in the workflow's state; a failing poll waits for the next one and alerts when
 * polls keep failing; the poll's alerts are raised; a replay is an Update that forgets the message's attempts.
 * With FEDREPORT_RECORD_HISTORIES=1 it records the replay suite's inbox history.
 */
import crypto from 'node:crypto';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { NativeConnection, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { buildDataConverter } from '../../../common/data-converter';
import { buildWorkflowBundle } from '../../../worker/bundle';
import type {
  InboxActivities,
  InboxAlert,
  InboxAttempts,
  InboxPollResult,
} from '../../../workflows/mesh-inbox-activities';
import {
  EMPTY_POLL_SUMMARY,
  inboxStatusQuery,
  meshInboxWorkflow,
  pollInboxNowSignal,
  replayQuarantinedUpdate,
  type InboxStatus,
} from '../../../workflows/mesh-inbox-workflow';
import { TEST_KEYRING } from '../../support/codec';
import { recordHistoryIfRequested } from '../../support/histories';
import { testTemporal } from '../../support/servers';
import { installTestRuntime } from '../../support/temporal';
import { until } from './support/inbox-stack';

const dataConverter = buildDataConverter(TEST_KEYRING);
let client: Client;
let nativeConnection: NativeConnection;
let bundle: WorkflowBundleWithSourceMap;

/** Stand-in activities: each poll answers what the test scripted, and every call is recorded. */
class ScriptedInbox {
  readonly polls: { attempts?: InboxAttempts }[] = [];
  readonly alerts: InboxAlert[] = [];
  readonly replays: string[] = [];
  next: (poll: number) => Partial<InboxPollResult> | 'fail' = () => ({});

  activities(): InboxActivities {
    return {
      handshakeMailbox: async () => undefined,
      processInbox: async ({ attempts }) => {
        this.polls.push({ attempts });
        const scripted = this.next(this.polls.length);
        if (scripted === 'fail')
          throw ApplicationFailure.nonRetryable('MESH inbox: connection refused', 'MeshConnectionError');
        return { ...EMPTY_POLL_SUMMARY, attempts: {}, alerts: [], ...scripted };
      },
      raiseInboxAlert: async (alert) => void this.alerts.push(alert),
      replayQuarantined: async ({ messageId }) => {
        this.replays.push(messageId);
        return { outcome: 'routed', detail: 'acknowledgement 30001 delivered to its encounter' };
      },
    };
  }
}

async function withInbox<T>(
  inbox: ScriptedInbox,
  run: (handle: WorkflowHandle<typeof meshInboxWorkflow>) => Promise<T>,
): Promise<T> {
  const taskQueue = `inbox-workflow-${crypto.randomUUID()}`;
  const worker = await Worker.create({
    connection: nativeConnection,
    taskQueue,
    workflowBundle: bundle,
    activities: inbox.activities(),
    dataConverter,
  });
  return worker.runUntil(async () => {
    const handle = await client.workflow.start(meshInboxWorkflow, {
      workflowId: `mesh-inbox-TEST${crypto.randomUUID().slice(0, 8).toUpperCase()}`,
      taskQueue,
      args: [{ mailbox: 'X26TEST', pollIntervalMs: 60_000 }],
    });
    try {
      return await run(handle);
    } finally {
      await handle.terminate('test finished').catch(() => undefined);
    }
  });
}

/** Asks for a poll and waits until it has ended. */
async function pollNow(handle: WorkflowHandle, afterPolls: number): Promise<InboxStatus> {
  await handle.signal(pollInboxNowSignal);
  return until('the poll ends', async () => {
    const status = await handle.query(inboxStatusQuery);
    return status.polls > afterPolls ? status : undefined;
  });
}

beforeAll(async () => {
  installTestRuntime();
  const { address, namespace } = testTemporal();
  client = new Client({ connection: await Connection.connect({ address }), namespace, dataConverter });
  nativeConnection = await NativeConnection.connect({ address });
  bundle = await buildWorkflowBundle();
}, 120_000);

afterAll(async () => {
  await nativeConnection?.close();
  await client?.connection.close();
});

it('carries each message’s attempts from poll to poll, raises the poll’s alerts, and replays by Update', async () => {
  const inbox = new ScriptedInbox();
  const alert: InboxAlert = {
    kind: 'inbox-quarantined',
    mailbox: 'X26TEST',
    meshMessageId: 'M2',
    detail: 'unreadable: not FHIR',
  };
  inbox.next = (poll) =>
    poll === 1
      ? { retrying: 1, attempts: { M1: { count: 1, lastError: 'MeshConnectionError: reset' } } }
      : poll === 2
        ? { quarantined: 1, attempts: { M1: { count: 2 } }, alerts: [alert] }
        : { attempts: inbox.polls.at(-1)?.attempts ?? {} };
  await withInbox(inbox, async (handle) => {
    await until('the first poll', async () =>
      (await handle.query(inboxStatusQuery)).polls === 1 ? true : undefined,
    );
    const second = await pollNow(handle, 1);
    expect(inbox.polls.map((p) => p.attempts)).toEqual([
      {},
      { M1: { count: 1, lastError: 'MeshConnectionError: reset' } },
    ]);
    expect(second).toMatchObject({
      failedPolls: 0,
      attempts: { M1: { count: 2 } },
      totals: { retrying: 1, quarantined: 1 },
    });
    await until('the alert is raised', async () => (inbox.alerts.length === 1 ? true : undefined));
    expect(inbox.alerts).toEqual([alert]);

    const outcome = await handle.executeUpdate(replayQuarantinedUpdate, {
      args: [{ messageId: 'M1', requestedBy: 'test' }],
    });
    expect(outcome).toEqual({ outcome: 'routed', detail: expect.any(String) });
    expect(inbox.replays).toEqual(['M1']);
    expect((await handle.query(inboxStatusQuery)).attempts).toEqual({});
    await expect(
      handle.executeUpdate(replayQuarantinedUpdate, { args: [{ messageId: '../x', requestedBy: 'test' }] }),
    ).rejects.toThrow();
    await recordHistoryIfRequested(handle, 'mesh-inbox-attempts-alerts-replay');
  });
}, 120_000);

it('a failing poll waits for the next one; polls that keep failing raise an alert, once and then periodically', async () => {
  const inbox = new ScriptedInbox();
  let failing = true;
  inbox.next = () => (failing ? 'fail' : {});
  await withInbox(inbox, async (handle) => {
    let status = await until('the first poll', async () => {
      const current = await handle.query(inboxStatusQuery);
      return current.polls === 1 ? current : undefined;
    });
    for (let polls = 1; polls < 4; polls += 1) status = await pollNow(handle, polls);
    expect(status.failedPolls).toBe(4);
    await until('the alert is raised', async () => (inbox.alerts.length === 1 ? true : undefined));
    expect(inbox.alerts).toEqual([
      {
        kind: 'inbox-poll-failing',
        mailbox: 'X26TEST',
        detail: expect.stringMatching(/^3 polls in a row failed: MESH inbox: connection refused/),
      },
    ]);
    failing = false;
    status = await pollNow(handle, 4);
    expect(status.failedPolls).toBe(0);
    expect(inbox.alerts).toHaveLength(1);
  });
}, 120_000);

it('keeps the attempts across continue-as-new', async () => {
  const inbox = new ScriptedInbox();
  inbox.next = (poll) => ({ attempts: { M1: { count: Math.min(poll, 4), firstSeenAt: 1 } } });
  await withInbox(inbox, async (handle) => {
    const firstRun = (await handle.describe()).runId;
    let polls = 0;
    while ((await handle.describe()).runId === firstRun) {
      await handle.signal(pollInboxNowSignal);
      polls = inbox.polls.length;
      await until('a poll', async () => (inbox.polls.length > polls ? true : undefined)).catch(
        () => undefined,
      );
    }
    await until('the new run polls', async () =>
      (await handle.query(inboxStatusQuery)).polls >= 1 ? true : undefined,
    );
    const afterContinue = inbox.polls.find((_, index) => index >= 200);
    expect(afterContinue?.attempts).toEqual({ M1: { count: 4, firstSeenAt: 1 } });
  });
}, 180_000);

it('a quarantine past its threshold opens one backlog alert, updated as it grows and resolved when it falls back', async () => {
  const inbox = new ScriptedInbox();
  const sizes = [3, 11, 11, 15, 2];
  inbox.next = (poll) => ({ quarantineBacklog: { size: sizes[poll - 1] ?? 2, threshold: 10 } });
  await withInbox(inbox, async (handle) => {
    await until('the first poll', async () => ((await handle.query(inboxStatusQuery)).polls === 1 ? true : undefined));
    let status = await pollNow(handle, 1);
    expect(status.quarantineBacklog).toEqual({ size: 11, count: 1 });
    for (let polls = 2; polls < 5; polls += 1) status = await pollNow(handle, polls);
    expect(status.quarantineBacklog).toBeUndefined();
    await until('the resolved notice', async () => (inbox.alerts.length === 3 ? true : undefined));
    const key = 'mailbox-X26TEST/quarantine-backlog';
    expect(inbox.alerts).toEqual([
      { kind: 'quarantine-backlog', mailbox: 'X26TEST', key, status: 'open', count: 1, backlog: { size: 11, threshold: 10 }, detail: '11 MESH message(s) in quarantine: over the threshold of 10' },
      { kind: 'quarantine-backlog', mailbox: 'X26TEST', key, status: 'updated', count: 2, backlog: { size: 15, threshold: 10 }, detail: '15 MESH message(s) in quarantine: over the threshold of 10' },
      { kind: 'quarantine-backlog', mailbox: 'X26TEST', key, status: 'resolved', count: 2, backlog: { size: 2, threshold: 10 }, detail: '2 MESH message(s) in quarantine: back at or under the threshold of 10' },
    ]);
    await recordHistoryIfRequested(handle, 'mesh-inbox-quarantine-backlog');
  });
}, 120_000);
