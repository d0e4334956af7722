/**
 * Contract of the clinical-system API against the real dev server: authentication, every class of rejection (each
 * naming field and reason, each starting nothing), idempotency, and a 202 that leaves a running workflow whose stored
 * payloads are ciphertext. No worker runs here: a started workflow is all a 202 promises.
 */
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { encounterWorkflowId } from '../../../workflows/encounter-identity';
import { PRACTICE_ODS, REPORT_STATUS } from '../../../workflows/search-attributes';
import { ENCRYPTED_ENCODING, KEY_ID_METADATA_KEY } from '../../../common/payload-codec';
import {
  API_TOKEN,
  EXAMPLE_PHI,
  encryptingClient,
  exampleSnapshot,
  startTestApi,
  terminateStarted,
  testKeyring,
  workflowExists,
  type TestApi,
} from './support';

const BODY_LIMIT = 256 * 1024;

let client: Client;
let api: TestApi;
const started = new Set<string>();

beforeAll(async () => {
  client = await encryptingClient(testKeyring());
  api = await startTestApi({ client, bodyLimitBytes: BODY_LIMIT });
});

afterAll(async () => {
  await terminateStarted(client, started);
  await api.close();
  await client.connection.close();
});

async function post(
  encounterId: string,
  body: string | undefined,
  headers: Record<string, string> = {
    authorization: `Bearer ${API_TOKEN}`,
    'content-type': 'application/json',
  },
): Promise<{ status: number; headers: Headers; body: any }> {
  const response = await fetch(`${api.url}/v1/encounters/${encounterId}/events`, {
    method: 'POST',
    headers,
    body,
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

const submit = (snapshot: Record<string, any>, headers?: Record<string, string>) =>
  post(snapshot.encounterId, JSON.stringify(snapshot), headers);

/** A rejected request must not have started (or signalled) anything. */
async function expectNothingStarted(encounterId: string): Promise<void> {
  expect(await workflowExists(client, encounterWorkflowId(encounterId))).toBe(false);
}

describe('authentication', () => {
  it('answers 401 without a token, naming the header, and starts nothing', async () => {
    const snapshot = exampleSnapshot();
    const response = await submit(snapshot, { 'content-type': 'application/json' });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(response.body).toEqual({
      error: 'unauthorized',
      message: expect.any(String),
      issues: [{ field: 'Authorization', reason: 'must be "Bearer <token>"' }],
    });
    await expectNothingStarted(snapshot.encounterId);
  });

  it('answers 401 for a wrong token, on every encounter route', async () => {
    const snapshot = exampleSnapshot();
    const wrong = { authorization: 'Bearer not-the-token-0123456789', 'content-type': 'application/json' };
    const response = await submit(snapshot, wrong);
    expect(response.status).toBe(401);
    expect(response.body.issues).toEqual([
      { field: 'Authorization', reason: 'carries a token this service does not accept' },
    ]);
    const status = await fetch(`${api.url}/v1/encounters/${snapshot.encounterId}`, { headers: wrong });
    expect(status.status).toBe(401);
    await expectNothingStarted(snapshot.encounterId);
  });

  it('checks credentials before reading the body', async () => {
    const response = await post(exampleSnapshot().encounterId, 'x'.repeat(BODY_LIMIT * 2), {
      'content-type': 'application/json',
    });
    expect(response.status).toBe(401);
  });
});

describe('rejections name the field and the reason, and start nothing', () => {
  it('415 for a body that is not JSON', async () => {
    const snapshot = exampleSnapshot();
    const response = await post(snapshot.encounterId, JSON.stringify(snapshot), {
      authorization: `Bearer ${API_TOKEN}`,
      'content-type': 'text/plain',
    });
    expect(response.status).toBe(415);
    expect(response.body).toMatchObject({
      error: 'unsupported_media_type',
      issues: [{ field: 'Content-Type', reason: 'must be application/json' }],
    });
    await expectNothingStarted(snapshot.encounterId);
  });

  it('415 for a request without a content type', async () => {
    const response = await post(exampleSnapshot().encounterId, undefined, {
      authorization: `Bearer ${API_TOKEN}`,
    });
    expect(response.status).toBe(415);
    expect(response.body.error).toBe('unsupported_media_type');
  });

  it('400 for malformed JSON, without quoting the body back', async () => {
    const snapshot = exampleSnapshot();
    const broken = JSON.stringify(snapshot).slice(0, -10);
    const response = await post(snapshot.encounterId, broken);
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      error: 'invalid_json',
      message: 'the request body is not valid JSON',
      issues: [{ field: 'body', reason: 'is not valid JSON' }],
    });
    await expectNothingStarted(snapshot.encounterId);
  });

  it('400 for an empty JSON body', async () => {
    const response = await post(exampleSnapshot().encounterId, '');
    expect(response.status).toBe(400);
    expect(response.body.issues).toEqual([{ field: 'body', reason: 'is empty' }]);
  });

  it('413 for a body over the limit, naming the limit', async () => {
    const snapshot = exampleSnapshot();
    snapshot.consultation.attachments = [
      {
        id: 'scan-1',
        title: 'Scan',
        contentType: 'application/pdf',
        data: Buffer.alloc(BODY_LIMIT).toString('base64'),
      },
    ];
    const response = await submit(snapshot);
    expect(response.status).toBe(413);
    expect(response.body).toMatchObject({
      error: 'payload_too_large',
      issues: [{ field: 'body', reason: `must be at most ${BODY_LIMIT} bytes` }],
    });
    await expectNothingStarted(snapshot.encounterId);
  });

  it('422 for an invalid snapshot, naming every field at fault', async () => {
    const snapshot = exampleSnapshot();
    snapshot.patient.nhsNumber = '9990000019';
    delete snapshot.clinician.role;
    snapshot.revision = 0;
    const response = await submit(snapshot);
    expect(response.status).toBe(422);
    expect(response.body.error).toBe('invalid_snapshot');
    expect(response.body.issues).toEqual(
      expect.arrayContaining([
        { field: 'patient.nhsNumber', reason: expect.stringMatching(/check digit/i) },
        { field: 'clinician.role', reason: 'is required' },
        { field: 'revision', reason: 'must be at least 1' },
      ]),
    );
    expect(JSON.stringify(response.body)).not.toContain('9990000019');
    await expectNothingStarted(snapshot.encounterId);
  });

  it('422 when the body belongs to another encounter than the path', async () => {
    const snapshot = exampleSnapshot();
    const other = exampleSnapshot().encounterId;
    const response = await post(other, JSON.stringify(snapshot));
    expect(response.status).toBe(422);
    expect(response.body).toMatchObject({
      error: 'encounter_id_mismatch',
      issues: [{ field: 'encounterId', reason: 'must equal the encounter id in the path' }],
    });
    await expectNothingStarted(snapshot.encounterId);
    await expectNothingStarted(other);
  });

  it('400 when the path id is not a GUID', async () => {
    const response = await post('not-a-guid', JSON.stringify(exampleSnapshot()));
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      error: 'invalid_encounter_id',
      issues: [{ field: 'path.encounterId', reason: 'must be a GUID' }],
    });
  });

  it('404 with the shared body for an unknown route', async () => {
    const response = await fetch(`${api.url}/v2/anything`, {
      headers: { authorization: `Bearer ${API_TOKEN}` },
    });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: 'not_found' });
  });
});

describe('accepted snapshots', () => {
  it('202 starts the encounter workflow, searchable by practice, with every payload encrypted', async () => {
    const snapshot = exampleSnapshot();
    const response = await submit(snapshot);
    const workflowId = encounterWorkflowId(snapshot.encounterId);
    started.add(workflowId);
    expect(response.status).toBe(202);
    expect(response.body).toEqual({ workflowId, encounterId: snapshot.encounterId, revision: 1 });

    const handle = client.workflow.getHandle(workflowId);
    const description = await handle.describe();
    expect(description.status.name).toBe('RUNNING');
    expect(description.type).toBe('encounterWorkflow');
    expect(description.taskQueue).toBe('fedreport-encounters');
    expect(description.typedSearchAttributes.get(PRACTICE_ODS)).toBe('Y90001');
    expect(description.typedSearchAttributes.get(REPORT_STATUS)).toBe('waiting-quiet-period');

    const history = await handle.fetchHistory();
    const storedPayloads = (history.events ?? []).flatMap((event) => [
      ...(event.workflowExecutionStartedEventAttributes?.input?.payloads ?? []),
      ...(event.workflowExecutionSignaledEventAttributes?.input?.payloads ?? []),
    ]);
    expect(storedPayloads).toHaveLength(2); // the start argument and the snapshot signal
    for (const payload of storedPayloads) {
      expect(Buffer.from(payload.metadata!.encoding!).toString()).toBe(ENCRYPTED_ENCODING);
      expect(Buffer.from(payload.metadata![KEY_ID_METADATA_KEY]!).toString()).toBe('test1');
    }
    const signal = history.events?.find((e) => e.workflowExecutionSignaledEventAttributes);
    expect(signal?.workflowExecutionSignaledEventAttributes?.signalName).toBe('consultationSaved');

    const stored = Buffer.from(temporal.api.history.v1.History.encode(history).finish()).toString('latin1');
    for (const phi of EXAMPLE_PHI) expect(stored).not.toContain(phi);
  });

  it('is idempotent: the same revision twice is one workflow, both answered 202', async () => {
    const snapshot = exampleSnapshot();
    const workflowId = encounterWorkflowId(snapshot.encounterId);
    started.add(workflowId);
    const first = await submit(snapshot);
    const { runId } = await client.workflow.getHandle(workflowId).describe();
    const second = await submit(snapshot);
    expect([first.status, second.status]).toEqual([202, 202]);
    expect(second.body).toEqual(first.body);

    const history = await client.workflow.getHandle(workflowId).fetchHistory();
    const kinds = (history.events ?? []).map((e) =>
      Object.keys(e).find((k) => k.endsWith('EventAttributes')),
    );
    expect(kinds.filter((k) => k === 'workflowExecutionStartedEventAttributes')).toHaveLength(1);
    expect((await client.workflow.getHandle(workflowId).describe()).runId).toBe(runId);
  });

  it('accepts an upper-case encounter id in the path for the same encounter', async () => {
    const snapshot = exampleSnapshot();
    started.add(encounterWorkflowId(snapshot.encounterId));
    const response = await post(snapshot.encounterId.toUpperCase(), JSON.stringify(snapshot));
    expect(response.status).toBe(202);
  });
});

describe('operations', () => {
  it('serves liveness, readiness and the OpenAPI document without credentials', async () => {
    expect(await (await fetch(`${api.url}/health`)).json()).toEqual({ status: 'ok' });
    expect(await (await fetch(`${api.url}/ready`)).json()).toEqual({ status: 'ready' });
    const document = (await (await fetch(`${api.url}/openapi.json`)).json()) as any;
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/v1/encounters/{encounterId}/events',
        '/v1/encounters/{encounterId}',
        '/v1/encounters/{encounterId}/withdrawal',
        '/v1/practices/{ods}/reconciliation',
        '/health',
        '/ready',
      ]),
    );
    expect(document.components.schemas.ConsultationSnapshot.properties.patient.required).toContain(
      'nhsNumber',
    );
    expect(document.components.schemas.ConsultationSnapshot.properties.schemaVersion).toMatchObject({
      enum: [1],
      default: 1,
    });
    expect(Object.keys(document.components.schemas)).toEqual(
      expect.arrayContaining(['Withdrawal', 'ReconciliationRequest', 'ReconciliationReport']),
    );
    expect(document.components.securitySchemes.bearerToken).toEqual({ type: 'http', scheme: 'bearer' });
  });

  it('answers 404 with a clear body for an encounter nobody submitted', async () => {
    const response = await fetch(`${api.url}/v1/encounters/${exampleSnapshot().encounterId}`, {
      headers: { authorization: `Bearer ${API_TOKEN}` },
    });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: 'encounter_not_found',
      message: 'no encounter workflow has this id',
      issues: [{ field: 'encounterId', reason: 'no consultation of this encounter has been submitted' }],
    });
  });

  it('answers 503 when no worker answers the status query in time', async () => {
    const snapshot = exampleSnapshot();
    started.add(encounterWorkflowId(snapshot.encounterId));
    expect((await submit(snapshot)).status).toBe(202);
    const impatient = await startTestApi({ client, temporalTimeoutMs: 1_000 });
    try {
      const response = await fetch(`${impatient.url}/v1/encounters/${snapshot.encounterId}`, {
        headers: { authorization: `Bearer ${API_TOKEN}` },
      });
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ error: 'status_unavailable' });
    } finally {
      await impatient.close();
    }
  });

  it('is not ready, and says why, while Temporal is unreachable', async () => {
    const unreachable = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
    const orphan = await startTestApi({ client: unreachable, temporalTimeoutMs: 1_000 });
    try {
      const ready = await fetch(`${orphan.url}/ready`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({
        status: 'unavailable',
        reason: expect.stringContaining('unreachable'),
      });
      expect((await fetch(`${orphan.url}/health`)).status).toBe(200);
      const snapshot = exampleSnapshot();
      const response = await fetch(`${orphan.url}/v1/encounters/${snapshot.encounterId}/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify(snapshot),
      });
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ error: 'temporal_unavailable' });
    } finally {
      await orphan.close();
      await unreachable.connection.close();
    }
  });

  it('never writes the snapshot, the patient or the token into its log', () => {
    const log = api.logs.join('');
    expect(log).toContain('"statusCode":202');
    expect(log).toContain('"statusCode":422');
    for (const secret of [...EXAMPLE_PHI, API_TOKEN]) expect(log).not.toContain(secret);
  });
});
