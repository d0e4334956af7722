/**
 * Issue 15 at the API, against the real dev server (no worker: a started workflow is all a 202 promises):
 * one hosting practice per encounter (6), text XML can carry (7), snapshot sizes that fail fast (9). Every rejection
 * names the field and the reason, echoes no value and starts or changes nothing.
 */
import type { Client } from '@temporalio/client';
import { encounterWorkflowId } from '../../../workflows/encounter-identity';
import {
  API_TOKEN,
  encryptingClient,
  exampleSnapshot,
  startTestApi,
  terminateStarted,
  testKeyring,
  workflowExists,
  type TestApi,
} from './support';

const KiB = 1024;

let client: Client;
let api: TestApi;
const started = new Set<string>();

beforeAll(async () => {
  client = await encryptingClient(testKeyring());
  api = await startTestApi({ client, maxSnapshotBytes: 64 * KiB });
});

afterAll(async () => {
  await terminateStarted(client, started);
  await api.close();
  await client.connection.close();
});

async function submit(
  snapshot: Record<string, any>,
  to: TestApi = api,
): Promise<{ status: number; body: any }> {
  started.add(encounterWorkflowId(snapshot.encounterId));
  const response = await fetch(`${to.url}/v1/encounters/${snapshot.encounterId}/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(snapshot),
  });
  return { status: response.status, body: await response.json() };
}

/** Notes of about `characters` characters: attachments go to the archive, so text is what fills a snapshot. */
function withNotes(characters: number): Record<string, any> {
  const snapshot = exampleSnapshot();
  const items = Array.from({ length: Math.ceil(characters / 10_000) }, () => ({ text: 'x'.repeat(10_000) }));
  snapshot.consultation.sections.push({ title: 'Long notes', items });
  return snapshot;
}

async function signalsOf(encounterId: string): Promise<number> {
  const history = await client.workflow.getHandle(encounterWorkflowId(encounterId)).fetchHistory();
  return (history.events ?? []).filter((e) => e.workflowExecutionSignaledEventAttributes).length;
}

describe('one hosting practice per encounter (6)', () => {
  it('422 for a save naming another hosting practice than the running workflow, which is left unchanged', async () => {
    const snapshot = exampleSnapshot();
    expect((await submit(snapshot)).status).toBe(202);
    const moved = {
      ...snapshot,
      revision: 2,
      hostingPractice: { ...snapshot.hostingPractice, odsCode: 'Y90002' },
    };
    const response = await submit(moved);
    expect(response).toEqual({
      status: 422,
      body: {
        error: 'hosting_practice_mismatch',
        message: 'the save names another hosting practice than the encounter',
        issues: [
          {
            field: 'hostingPractice.odsCode',
            reason: "must match the encounter's hosting practice (of its earlier saves)",
          },
        ],
      },
    });
    expect(await signalsOf(snapshot.encounterId)).toBe(1);
    expect((await submit({ ...snapshot, revision: 3 })).status).toBe(202);
  });

  it('takes any practice for an encounter with no running workflow', async () => {
    const snapshot = exampleSnapshot();
    snapshot.hostingPractice.odsCode = 'Y90002';
    expect((await submit(snapshot)).status).toBe(202);
  });
});

describe('text XML can carry (7)', () => {
  it('422 naming each field and character, echoing no value, starting nothing', async () => {
    const snapshot = exampleSnapshot();
    snapshot.consultation.sections[0].items[0].text = 'Pasted\u000Bfrom a word processor';
    snapshot.patient.name.given = ['Eleanor\uFFFF'];
    snapshot.clinician.role = 'GP \uD800';
    const response = await submit(snapshot);
    expect(response.status).toBe(422);
    expect(response.body.error).toBe('invalid_snapshot');
    const reason = (character: string) =>
      expect.stringMatching(new RegExp(`^contains U\\+${character}, which XML`));
    expect(response.body.issues).toEqual([
      { field: 'clinician.role', reason: reason('D800') },
      { field: 'patient.name.given[0]', reason: reason('FFFF') },
      { field: 'consultation.sections[0].items[0].text', reason: reason('000B') },
    ]);
    expect(JSON.stringify(response.body)).not.toMatch(/Pasted|Eleanor/);
    expect(await workflowExists(client, encounterWorkflowId(snapshot.encounterId))).toBe(false);
  });
});

describe('sizes that fail fast (9)', () => {
  it('413 for a snapshot over the budget, naming its size and the limit, starting nothing', async () => {
    const snapshot = withNotes(70 * KiB); // under the body limit
    const response = await submit(snapshot);
    expect(response.status).toBe(413);
    expect(response.body).toEqual({
      error: 'snapshot_too_large',
      message: 'the consultation snapshot is too large to hold',
      issues: [
        {
          field: '(root)',
          reason: expect.stringMatching(
            /^encodes to \d{5} bytes, more than the 65536 bytes an encounter can hold \(send fewer or smaller attachments/,
          ),
        },
      ],
    });
    expect(await workflowExists(client, encounterWorkflowId(snapshot.encounterId))).toBe(false);
  });

  it('accepts a snapshot just under the budget', async () => {
    expect((await submit(withNotes(40 * KiB))).status).toBe(202);
  });

  it("413, not 503, when Temporal itself refuses the payload as too large (a budget above the server's limit)", async () => {
    const generous = await startTestApi({ client, maxSnapshotBytes: 4 * 1024 * KiB });
    try {
      const snapshot = withNotes(2_100 * KiB); // over the 2 MB blob limit
      const response = await submit(snapshot, generous);
      expect(response).toEqual({
        status: 413,
        body: {
          error: 'snapshot_too_large',
          message: 'the consultation snapshot is too large to hold',
          issues: [{ field: '(root)', reason: 'is larger than Temporal accepts (its blob size limit)' }],
        },
      });
      expect(await workflowExists(client, encounterWorkflowId(snapshot.encounterId))).toBe(false);
    } finally {
      await generous.close();
    }
  });
});
