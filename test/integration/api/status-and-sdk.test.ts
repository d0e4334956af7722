/**
 * The status route and the TypeScript SDK end to end: API → dev server → the real encounter workflow on a worker.
 * The worker registers only the activities the workflow calls before its quiet period (settings with a long period),
 * so nothing is ever sent; the query answers from the workflow's own state.
 */
import {
  FedreportApiError,
  FedreportClient,
  FedreportUnreachableError,
} from '../../../client/sdk/fedreport-client';
import { encounterWorkflowId } from '../../../workflows/encounter-identity';
import type { EncounterStatus } from '../../../workflows/encounter-messages';
import { API_TOKEN, exampleSnapshot, startQuietApi, type QuietApi } from './support';

let stack: QuietApi;
let sdk: FedreportClient;

beforeAll(async () => {
  stack = await startQuietApi();
  sdk = new FedreportClient({ baseUrl: stack.api.url, token: API_TOKEN });
});

afterAll(async () => {
  await sdk.close();
  await stack.close();
});

/** Polls until the workflow has reached the state (the first workflow task runs asynchronously). */
async function statusWhen(
  encounterId: string,
  done: (s: EncounterStatus) => boolean,
): Promise<EncounterStatus> {
  let last: EncounterStatus | null = null;
  for (let attempt = 0; attempt < 100; attempt++) {
    last = await sdk.status(encounterId);
    if (last && done(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`status never matched; last: ${JSON.stringify(last)}`);
}

describe('encounter status', () => {
  it('GET returns the workflow status query result', async () => {
    const snapshot = exampleSnapshot();
    stack.started.add(encounterWorkflowId(snapshot.encounterId));
    await sdk.submitConsultation(snapshot);
    await statusWhen(
      snapshot.encounterId,
      (s) => s.state === 'waiting-quiet-period' && s.nextActionTime !== undefined,
    );

    const response = await fetch(`${stack.api.url}/v1/encounters/${snapshot.encounterId}`, {
      headers: { authorization: `Bearer ${API_TOKEN}` },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      encounterId: snapshot.encounterId,
      state: 'waiting-quiet-period',
      hostingPracticeOds: 'Y90001',
      latestRevision: 1,
      reportVersion: 0,
      sendsSoFar: 0,
    });
  });

  it('takes a newer revision and ignores a stale one, each answered 202', async () => {
    const snapshot = exampleSnapshot();
    stack.started.add(encounterWorkflowId(snapshot.encounterId));
    await sdk.submitConsultation(snapshot);
    await sdk.submitConsultation({ ...snapshot, revision: 3 });
    await statusWhen(snapshot.encounterId, (s) => s.latestRevision === 3);
    const stale = await sdk.submitConsultation({ ...snapshot, revision: 2 });
    expect(stale).toEqual({
      workflowId: encounterWorkflowId(snapshot.encounterId),
      encounterId: snapshot.encounterId,
      revision: 2,
    });
    // The 202 means the signal is in history; a query is answered only after the events before it are applied.
    expect((await sdk.status(snapshot.encounterId))?.latestRevision).toBe(3);
  });
});

describe('TypeScript SDK', () => {
  it('returns null for an encounter nobody submitted', async () => {
    await expect(sdk.status(exampleSnapshot().encounterId)).resolves.toBeNull();
  });

  it('throws a typed error carrying the field issues', async () => {
    const snapshot = exampleSnapshot();
    snapshot.patient.birthDate = '1958-02-30';
    const error = await sdk.submitConsultation(snapshot).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FedreportApiError);
    expect(error).toMatchObject({
      status: 422,
      code: 'invalid_snapshot',
      issues: [{ field: 'patient.birthDate', reason: 'is not a real calendar date' }],
    });
  });

  it('throws a typed 401 for a wrong token', async () => {
    const stranger = new FedreportClient({ baseUrl: stack.api.url, token: 'wrong-token-0123456789' });
    await expect(stranger.submitConsultation(exampleSnapshot())).rejects.toMatchObject({
      status: 401,
      code: 'unauthorized',
    });
  });

  it('says when the API cannot be reached', async () => {
    const nowhere = new FedreportClient({
      baseUrl: 'http://127.0.0.1:1',
      token: API_TOKEN,
      timeoutMs: 2_000,
    });
    await expect(nowhere.status(exampleSnapshot().encounterId)).rejects.toBeInstanceOf(
      FedreportUnreachableError,
    );
  });
});
