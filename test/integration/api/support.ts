/**
 * An API instance on a real socket, talking to the dev server of this test run through an encrypting client, with
 * its log lines captured so tests can prove no PHI reaches them.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Worker, bundleWorkflowCode } from '@temporalio/worker';
import type { AddressInfo } from 'node:net';
import type { CodecKeyring } from '../../../common/codec-keys';
import { FAILURE_CONVERTER_PATH, buildDataConverter } from '../../../common/data-converter';
import { createLogger } from '../../../common/logger';
import { buildApi, type ApiOptions } from '../../../client/api/server';
import type { EncounterActivities } from '../../../workflows/encounter-activities';
import { ENCOUNTER_TASK_QUEUE } from '../../../workflows/encounter-identity';
import { testTemporal } from '../../support/servers';
import { installTestRuntime } from '../../support/temporal';
import { openSharedTestArchive } from '../../support/archive';
import { TEST_KEYRING } from '../../support/codec';

export const API_TOKEN = 'test-token-0123456789abcdef';

export function testKeyring(): CodecKeyring {
  return { activeKeyId: 'test1', keys: new Map([['test1', crypto.randomBytes(32)]]) };
}

export async function encryptingClient(keyring: CodecKeyring): Promise<Client> {
  const { address, namespace } = testTemporal();
  const connection = await Connection.connect({ address });
  return new Client({ connection, namespace, dataConverter: buildDataConverter(keyring) });
}

export interface TestApi {
  url: string;
  logs: string[];
  close(): Promise<void>;
}

export async function startTestApi(
  options: Partial<ApiOptions> & Pick<ApiOptions, 'client'>,
  listen: { host?: string } = {},
): Promise<TestApi> {
  const logs: string[] = [];
  // The run's shared archive unless the test brings its own; the API keeps attachments there.
  const shared = options.archive ? undefined : await openSharedTestArchive(TEST_KEYRING);
  const app = buildApi({
    archive: options.archive ?? shared!.repository,
    auth: { mode: 'bearer', tokens: [{ name: 'test', token: API_TOKEN, practices: '*' }] },
    logger: createLogger('fedreport-api-test', 'debug', { write: (line: string) => void logs.push(line) }),
    ...options,
  });
  await app.listen({ host: listen.host ?? '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  const scheme = options.tls ? 'https' : 'http';
  return {
    url: `${scheme}://127.0.0.1:${port}`,
    logs,
    async close() {
      await app.close();
      await shared?.close();
    },
  };
}

/** A valid snapshot of the example consultation, with a fresh encounter id so tests never share a workflow. */
export function exampleSnapshot(): any {
  const file = path.resolve(__dirname, '../../../examples/consultation-temporary-resident.json');
  return { ...JSON.parse(fs.readFileSync(file, 'utf8')), encounterId: crypto.randomUUID() };
}

/** The example patient's identifiers: none may appear in logs or in what Temporal stores. */
export const EXAMPLE_PHI = ['9990000018', 'Whitfield', '1958-03-14', 'Eleanor'];

export async function workflowExists(client: Client, workflowId: string): Promise<boolean> {
  try {
    await client.workflow.getHandle(workflowId).describe();
    return true;
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return false;
    throw error;
  }
}

/** Terminates the workflows a test started: none is left on the shared dev server for another test's worker. */
export async function terminateStarted(client: Client, workflowIds: Iterable<string>): Promise<void> {
  await Promise.all(
    [...workflowIds].map((id) =>
      client.workflow
        .getHandle(id)
        .terminate('api test cleanup')
        .catch(() => undefined),
    ),
  );
}

const HOUR = 3_600_000;

/**
 * The only activities the encounter workflow calls before its quiet period ends, with a period of an hour: a worker
 * with these runs real encounter workflows that send nothing during a test.
 */
export const quietEncounterActivities: Pick<
  EncounterActivities,
  'previousRunSummary' | 'loadPracticeSettings'
> = {
  previousRunSummary: () => Promise.resolve(null),
  loadPracticeSettings: () =>
    Promise.resolve({
      quietPeriodMs: HOUR,
      maxTotalWaitMs: null,
      senderMailbox: 'X26ABC1',
      infrastructureAckWindowMs: HOUR,
      businessAckWindowMs: 2 * HOUR,
      idleRetentionMs: 24 * HOUR,
    }),
};

/** A worker running the real encounter workflow with quietEncounterActivities, on the encounters' task queue. */
export function startQuietEncounterWorker(keyring: CodecKeyring): Promise<TestWorker> {
  return startTestWorker({
    keyring,
    taskQueue: ENCOUNTER_TASK_QUEUE,
    workflowsPath: require.resolve('../../../workflows'),
    activities: quietEncounterActivities,
  });
}

/** An API in front of real, quiet encounter workflows (startQuietEncounterWorker), with what a test file needs. */
export interface QuietApi {
  client: Client;
  api: TestApi;
  /** Workflow ids the tests start: terminated by close(). */
  started: Set<string>;
  close(): Promise<void>;
}

export async function startQuietApi(options: Partial<ApiOptions> = {}): Promise<QuietApi> {
  const keyring = testKeyring();
  const client = await encryptingClient(keyring);
  const api = await startTestApi({ client, ...options });
  const worker = await startQuietEncounterWorker(keyring);
  const started = new Set<string>();
  return {
    client,
    api,
    started,
    async close() {
      await terminateStarted(client, started);
      await worker.stop();
      await api.close();
      await client.connection.close();
    },
  };
}

export interface TestWorker {
  stop(): Promise<void>;
}

/** A worker on this run's dev server, its workflows bundled with the failure converter as production's are. */
export async function startTestWorker(options: {
  keyring: CodecKeyring;
  taskQueue: string;
  workflowsPath: string;
  activities?: object;
}): Promise<TestWorker> {
  installTestRuntime();
  const connection = await NativeConnection.connect({ address: testTemporal().address });
  const worker = await Worker.create({
    connection,
    namespace: testTemporal().namespace,
    taskQueue: options.taskQueue,
    // A prebuilt bundle ignores the data converter's failure converter path: it must be bundled in.
    workflowBundle: await bundleWorkflowCode({
      workflowsPath: options.workflowsPath,
      failureConverterPath: FAILURE_CONVERTER_PATH,
      logger: new DefaultLogger('WARN'),
    }),
    ...(options.activities && { activities: options.activities }),
    dataConverter: buildDataConverter(options.keyring),
  });
  const run = worker.run();
  return {
    async stop() {
      worker.shutdown();
      await run;
      await connection.close();
    },
  };
}
