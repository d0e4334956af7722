/**
 * The archive's retention purge on the dev server and the real PostgreSQL: the worker's schedule is created once and
 * updated when the retention changes, and the workflow it starts deletes only what is past retention.
 */
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createArchivePurgeActivities } from '../../../activities/archive/purge-archive';
import type { ArchiveRepository } from '../../../integrations/store/archive-repository';
import type { ArchiveDb } from '../../../integrations/store/database';
import { ensureArchivePurgeSchedule } from '../../../worker/archive-purge-schedule';
import { buildWorkflowBundle } from '../../../worker/bundle';
import { ARCHIVE_PURGE_SCHEDULE_ID } from '../../../workflows/archive-purge-workflow';
import { archiveRepository, openTestArchive } from '../../support/archive';
import { archiveReport } from '../../support/archived-reports';
import { freshTestDatabase, type TestDatabase } from '../../support/databases';
import { testTemporal } from '../../support/servers';
import { eventually } from '../cli/support';
import { buildDataConverter } from '../../../common/data-converter';
import { TEST_KEYRING } from '../../support/codec';

const TASK_QUEUE = `archive-purge-test-${process.pid}`;
const DAY_MS = 86_400_000;
let database: TestDatabase;
let db: ArchiveDb;
let archive: ArchiveRepository;
let client: Client;
let nativeConnection: NativeConnection;
let worker: Worker;
let running: Promise<void>;

beforeAll(async () => {
  database = await freshTestDatabase('postgresql');
  db = await openTestArchive(database.url);
  archive = archiveRepository(db);
  const { address, namespace } = testTemporal();
  client = new Client({ connection: await Connection.connect({ address }), namespace });
  // Workers of other test files on this server create it too, under their own codec keys: start from none.
  await client.schedule
    .getHandle(ARCHIVE_PURGE_SCHEDULE_ID)
    .delete()
    .catch(() => undefined);
  nativeConnection = await NativeConnection.connect({ address });
  worker = await Worker.create({
    connection: nativeConnection,
    namespace,
    taskQueue: TASK_QUEUE,
    workflowBundle: await buildWorkflowBundle(),
    activities: createArchivePurgeActivities(archive),
  });
  running = worker.run();
});

afterAll(async () => {
  await client?.schedule
    .getHandle(ARCHIVE_PURGE_SCHEDULE_ID)
    .delete()
    .catch(() => undefined);
  worker?.shutdown();
  await running;
  await nativeConnection?.close();
  await client?.connection.close();
  await db?.destroy();
  await database?.close();
});

it('keeps one schedule, updated with the retention, whose purge deletes only what is past retention', async () => {
  const expired = await archiveReport(archive, {
    senderOds: 'Y93001',
    state: 'acknowledged',
    at: new Date(Date.now() - 31 * DAY_MS),
  });
  const retained = await archiveReport(archive, {
    senderOds: 'Y93001',
    state: 'acknowledged',
    at: new Date(Date.now() - 29 * DAY_MS),
  });

  await ensureArchivePurgeSchedule(client, 365, TASK_QUEUE);
  await ensureArchivePurgeSchedule(client, 30, TASK_QUEUE);
  const schedule = client.schedule.getHandle(ARCHIVE_PURGE_SCHEDULE_ID);
  const described = await schedule.describe();
  expect(described.action).toMatchObject({ taskQueue: TASK_QUEUE, args: [{ retentionDays: 30 }] });
  expect(described.spec.calendars).toEqual([
    expect.objectContaining({ hour: [{ start: 3, end: 3, step: 1 }] }),
  ]);

  await schedule.trigger();
  const result = await eventually(async () => {
    const recent = (await schedule.describe()).info.recentActions;
    const run = recent[0]?.action;
    if (!run) throw new Error('the schedule has not started the purge yet');
    return client.workflow.getHandle(run.workflow.workflowId, run.workflow.firstExecutionRunId).result();
  });
  expect(result).toEqual({ sentMessages: 1, answers: 1, receivedMessages: 0, receivedHandovers: 0, attachments: 0 });
  expect(await archive.show(expired.localId)).toBeUndefined();
  expect(await archive.show(retained.localId)).toMatchObject({ localId: retained.localId });
});

it('makes the schedule anew when its arguments are sealed under a key this worker does not hold', async () => {
  const { address, namespace } = testTemporal();
  const otherKeys = new Client({
    connection: await Connection.connect({ address }),
    namespace,
    dataConverter: buildDataConverter(TEST_KEYRING),
  });
  try {
    await client.schedule.getHandle(ARCHIVE_PURGE_SCHEDULE_ID).delete();
    await ensureArchivePurgeSchedule(otherKeys, 365, TASK_QUEUE);
    await ensureArchivePurgeSchedule(client, 30, TASK_QUEUE);
    const described = await client.schedule.getHandle(ARCHIVE_PURGE_SCHEDULE_ID).describe();
    expect(described.action).toMatchObject({ taskQueue: TASK_QUEUE, args: [{ retentionDays: 30 }] });
  } finally {
    await otherKeys.connection.close();
  }
});
