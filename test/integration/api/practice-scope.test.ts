/**
 * Each credential acts only for its practices, on every route: a token of one practice cannot submit, read, withdraw
 * or reconcile for another, and nothing is started or changed by trying. Real encounter workflows on the dev server
 * (quiet for an hour, so nothing is sent); the same requests with the right token are the control.
 */
import crypto from 'node:crypto';
import { encounterWorkflowId } from '../../../workflows/encounter-identity';
import { statusQuery, type EncounterStatus } from '../../../workflows/encounter-messages';
import { practiceReconciliationWorkflowId } from '../../../workflows/practice-reconciliation-workflow';
import { exampleSnapshot, startQuietApi, workflowExists, type QuietApi } from './support';
import { eventually } from '../cli/support';

/** Practices no other test uses. */
const practiceCode = (): string => `S${crypto.randomInt(1e8).toString().padStart(8, '0')}`;
const NORTH = practiceCode();
const SOUTH = practiceCode();
const NORTH_TOKEN = `north-${crypto.randomBytes(16).toString('hex')}`;
const SOUTH_TOKEN = `south-${crypto.randomBytes(16).toString('hex')}`;

let stack: QuietApi;

beforeAll(async () => {
  stack = await startQuietApi({
    auth: {
      mode: 'bearer',
      tokens: [
        { name: 'north-system', token: NORTH_TOKEN, practices: [NORTH] },
        { name: 'south-system', token: SOUTH_TOKEN, practices: [SOUTH] },
      ],
    },
  });
});

afterAll(() => stack.close());

async function call(
  token: string,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<{ status: number; body: any }> {
  const response = await fetch(`${stack.api.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: await response.json() };
}

function snapshotOf(practice: string): any {
  const snapshot = exampleSnapshot();
  snapshot.hostingPractice.odsCode = practice;
  stack.started.add(encounterWorkflowId(snapshot.encounterId));
  return snapshot;
}

/** An encounter of NORTH, once its workflow waits out its quiet period; with its history length then. */
async function northEncounter(): Promise<{ encounterId: string; status: EncounterStatus; events: number }> {
  const snapshot = snapshotOf(NORTH);
  expect(
    (await call(NORTH_TOKEN, 'POST', `/v1/encounters/${snapshot.encounterId}/events`, snapshot)).status,
  ).toBe(202);
  const handle = stack.client.workflow.getHandle(encounterWorkflowId(snapshot.encounterId));
  const status = await eventually(async () => {
    const answer = await handle.query(statusQuery);
    expect(answer.nextActionTime).toBeDefined(); // the quiet-period timer is set: nothing more happens for an hour
    return answer;
  });
  return { encounterId: snapshot.encounterId, status, events: (await handle.describe()).historyLength };
}

async function unchanged(encounter: { encounterId: string; status: EncounterStatus; events: number }) {
  const handle = stack.client.workflow.getHandle(encounterWorkflowId(encounter.encounterId));
  expect(await handle.query(statusQuery)).toEqual(encounter.status);
  expect((await handle.describe()).historyLength).toBe(encounter.events);
}

const notPermitted = (field: string) => ({
  status: 403,
  body: {
    error: 'practice_not_permitted',
    message: 'the credential does not act for this practice',
    issues: [{ field, reason: 'names a practice this credential may not act for' }],
  },
});

describe('saves for a practice the credential does not act for', () => {
  it('answers 403 and starts no workflow', async () => {
    const snapshot = snapshotOf(NORTH);
    const answer = await call(SOUTH_TOKEN, 'POST', `/v1/encounters/${snapshot.encounterId}/events`, snapshot);
    expect(answer).toEqual(notPermitted('hostingPractice.odsCode'));
    expect(await workflowExists(stack.client, encounterWorkflowId(snapshot.encounterId))).toBe(false);
  });

  it("answers 403 for a save into another practice's encounter, which stays as it was", async () => {
    const encounter = await northEncounter();
    const later = { ...snapshotOf(NORTH), encounterId: encounter.encounterId, revision: 2 };
    const answer = await call(SOUTH_TOKEN, 'POST', `/v1/encounters/${encounter.encounterId}/events`, later);
    expect(answer).toEqual(notPermitted('hostingPractice.odsCode'));
    await unchanged(encounter);
  });
});

describe("another practice's encounter, read or withdrawn", () => {
  it('is answered as an unknown encounter (404) and left as it was', async () => {
    const encounter = await northEncounter();
    const unknown = await call(SOUTH_TOKEN, 'GET', `/v1/encounters/${crypto.randomUUID()}`);
    expect(unknown.status).toBe(404);
    expect(await call(SOUTH_TOKEN, 'GET', `/v1/encounters/${encounter.encounterId}`)).toEqual(unknown);

    const withdrawal = { reason: 'deleted', requestedBy: 'clinician 4711', at: '2026-11-21T10:00:00Z' };
    const withdrawn = await call(
      SOUTH_TOKEN,
      'POST',
      `/v1/encounters/${encounter.encounterId}/withdrawal`,
      withdrawal,
    );
    expect(withdrawn).toEqual(unknown);
    await unchanged(encounter);

    // The control: the practice's own credential reads it.
    expect(await call(NORTH_TOKEN, 'GET', `/v1/encounters/${encounter.encounterId}`)).toMatchObject({
      status: 200,
      body: { encounterId: encounter.encounterId, hostingPracticeOds: NORTH },
    });
  });
});

describe('reconciliation for a practice the credential does not act for', () => {
  it('answers 403 and records nothing for that practice', async () => {
    const period = {
      from: '2026-11-01T00:00:00Z',
      to: '2026-11-30T23:59:59Z',
      encounterIds: [crypto.randomUUID()],
    };
    const recorder = practiceReconciliationWorkflowId(NORTH);
    stack.started.add(recorder);
    expect(await call(SOUTH_TOKEN, 'POST', `/v1/practices/${NORTH}/reconciliation`, period)).toEqual(
      notPermitted('path.ods'),
    );
    expect(await workflowExists(stack.client, recorder)).toBe(false);

    expect((await call(NORTH_TOKEN, 'POST', `/v1/practices/${NORTH}/reconciliation`, period)).status).toBe(
      200,
    );
    expect(await workflowExists(stack.client, recorder)).toBe(true);
  });
});
