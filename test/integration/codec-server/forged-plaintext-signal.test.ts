/**
 * A forged signal: someone who can reach the Temporal server but holds no codec key signals an encounter with a
 * plaintext snapshot. The worker's codec refuses the payload, so the workflow task fails and the encounter does not
 * act on it (no timer restarted, no search attribute changed), on the dev server with the real encounter workflow.
 */
import { Client } from '@temporalio/client';
import { decodeOptionalFailureToOptionalError } from '@temporalio/common/lib/internal-non-workflow';
import { temporal } from '@temporalio/proto';
import { submitConsultationSaved } from '../../../client/encounters';
import { parseConsultationSnapshot } from '../../../domain/snapshot';
import { encounterWorkflowId } from '../../../workflows/encounter-identity';
import { consultationSavedSignal } from '../../../workflows/encounter-messages';
import {
  encryptingClient,
  exampleSnapshot,
  terminateStarted,
  testKeyring,
  type TestWorker,
} from '../api/support';
import { startQuietEncounterWorker } from '../api/support';

const EventType = temporal.api.enums.v1.EventType;
let client: Client;
let worker: TestWorker;
const started = new Set<string>();

beforeAll(async () => {
  const keyring = testKeyring();
  client = await encryptingClient(keyring);
  worker = await startQuietEncounterWorker(keyring);
});

afterAll(async () => {
  await terminateStarted(client, started);
  await worker.stop();
  await client.connection.close();
});

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

async function eventsWhen(
  workflowId: string,
  done: (events: HistoryEvent[]) => boolean,
): Promise<HistoryEvent[]> {
  for (let attempt = 0; attempt < 150; attempt++) {
    const events = (await client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
    if (done(events)) return events;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${workflowId}: the history never reached the expected point`);
}

it('refuses a plaintext signal from a client without the codec: the workflow does not act on it', async () => {
  const snapshot = parseConsultationSnapshot(exampleSnapshot());
  const { workflowId } = await submitConsultationSaved(client, snapshot);
  started.add(workflowId);
  expect(workflowId).toBe(encounterWorkflowId(snapshot.encounterId));
  // The genuine save has been taken: its quiet-period timer runs.
  await eventsWhen(workflowId, (events) =>
    events.some((e) => e.eventType === EventType.EVENT_TYPE_TIMER_STARTED),
  );

  const forger = new Client({ connection: client.connection, namespace: client.options.namespace });
  // The forgery carries no patient data: a history is stored as sent, and other tests scan the server's database.
  const forgery = { encounterId: snapshot.encounterId, revision: 2, savedAt: new Date().toISOString() };
  await forger.workflow.getHandle(workflowId).signal(consultationSavedSignal, forgery as never);

  const events = await eventsWhen(workflowId, (all) =>
    all.some((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED),
  );
  const forged = events.map((e) => e.eventType).lastIndexOf(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED);
  const failed = events.find((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED);
  const reason = await decodeOptionalFailureToOptionalError(
    client.options.loadedDataConverter,
    failed?.workflowTaskFailedEventAttributes?.failure,
  );
  expect(reason?.message).toMatch(/payload is not encrypted/);
  // After the forged signal only workflow-task bookkeeping: no timer restarted for "revision 2", nothing upserted.
  const after = events.slice(forged + 1).map((e) => EventType[e.eventType ?? 0]);
  expect(after.length).toBeGreaterThan(0);
  for (const type of after)
    expect([
      'EVENT_TYPE_WORKFLOW_TASK_SCHEDULED',
      'EVENT_TYPE_WORKFLOW_TASK_STARTED',
      'EVENT_TYPE_WORKFLOW_TASK_FAILED',
    ]).toContain(type);
});
