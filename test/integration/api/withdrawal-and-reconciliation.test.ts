/**
 * Issue 15 at the API, SDK and CLI: a withdrawal of a deleted or mistaken consultation (10), sent as the `withdraw`
 * Update to a stand-in workflow (withdrawal-stub-workflow.ts), and completeness reconciliation (11) from visibility.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { registerEncounterCommands } from '../../../client/cli/encounter-commands';
import { MissedHooksError, registerReconcileCommands } from '../../../client/cli/reconcile-commands';
import { FedreportApiError, FedreportClient } from '../../../client/sdk/fedreport-client';
import type { Withdrawal } from '../../../domain/withdrawal';
import { encounterWorkflowId } from '../../../workflows/encounter-identity';
import { practiceReconciliationWorkflowId } from '../../../workflows/practice-reconciliation-workflow';
import { runFedreportCli } from '../../support/cli';
import { testTemporal } from '../../support/servers';
import { eventually } from '../cli/support';
import {
  API_TOKEN,
  encryptingClient,
  exampleSnapshot,
  startTestApi,
  startTestWorker,
  terminateStarted,
  testKeyring,
  type TestApi,
  type TestWorker,
} from './support';

const STUB_QUEUE = 'api-withdrawal-stub';
const keyring = testKeyring();
let client: Client;
let api: TestApi;
let sdk: FedreportClient;
let worker: TestWorker;
const started = new Set<string>();
const savedEnv = { ...process.env };

beforeAll(async () => {
  client = await encryptingClient(keyring);
  api = await startTestApi({ client });
  sdk = new FedreportClient({ baseUrl: api.url, token: API_TOKEN });
  worker = await startTestWorker({
    keyring,
    taskQueue: STUB_QUEUE,
    workflowsPath: require.resolve('./withdrawal-stub-workflow'),
  });
  // The CLI reads its Temporal and codec settings from the environment, as an operator's shell gives them.
  Object.assign(process.env, {
    FEDREPORT_TEMPORAL_ADDRESS: testTemporal().address,
    FEDREPORT_TEMPORAL_NAMESPACE: testTemporal().namespace,
    FEDREPORT_CODEC_KEYS: [...keyring.keys].map(([id, key]) => `${id}:${key.toString('base64')}`).join(','),
  });
});

afterAll(async () => {
  process.env = savedEnv;
  await terminateStarted(client, started);
  await worker.stop();
  await sdk.close();
  await api.close();
  await client.connection.close();
});

/** An encounter whose workflow is the stand-in, served on its own queue (or on none, to have no worker answer). */
async function stubEncounter(taskQueue = STUB_QUEUE): Promise<string> {
  const encounterId = crypto.randomUUID();
  const workflowId = encounterWorkflowId(encounterId);
  started.add(workflowId);
  await client.workflow.start('encounterWorkflow', { workflowId, taskQueue });
  return encounterId;
}

const withdrawal: Withdrawal = {
  reason: 'entered-in-error',
  requestedBy: 'clinician 4711',
  at: '2026-11-21T10:00:00Z',
};

async function postWithdrawal(encounterId: string, body: unknown, to: TestApi = api) {
  const response = await fetch(`${to.url}/v1/encounters/${encounterId}/withdrawal`, {
    method: 'POST',
    headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as any };
}

describe('withdrawal (10)', () => {
  it('200 with what the encounter did; the same withdrawal again answers the same; another is refused 409', async () => {
    const encounterId = await stubEncounter();
    const accepted = {
      workflowId: encounterWorkflowId(encounterId),
      encounterId,
      state: 'cancelled',
      outcome: 'cancelled-before-send',
    };
    expect(await postWithdrawal(encounterId, withdrawal)).toEqual({ status: 200, body: accepted });
    expect(await postWithdrawal(encounterId, withdrawal)).toEqual({ status: 200, body: accepted });
    expect(await postWithdrawal(encounterId, { ...withdrawal, reason: 'deleted' })).toEqual({
      status: 409,
      body: {
        error: 'withdrawal_refused',
        message: 'the encounter refused the withdrawal',
        issues: [{ field: 'encounterId', reason: 'the encounter was already withdrawn (entered-in-error)' }],
      },
    });
  });

  it('404 for an encounter never submitted; 409 for one whose workflow has finished', async () => {
    expect((await postWithdrawal(crypto.randomUUID(), withdrawal)).body.error).toBe('encounter_not_found');
    const finished = await stubEncounter();
    await client.workflow.getHandle(encounterWorkflowId(finished)).terminate('retention passed');
    const response = await postWithdrawal(finished, withdrawal);
    expect(response.status).toBe(409);
    expect(response.body.issues[0].reason).toMatch(/has finished .* contact the registered practice/);
  });

  it('422 naming each bad field, 503 when no worker answers in time', async () => {
    const encounterId = await stubEncounter();
    const invalid = await postWithdrawal(encounterId, { reason: 'regretted', at: 'yesterday' });
    expect(invalid.status).toBe(422);
    expect(invalid.body).toMatchObject({ error: 'invalid_withdrawal' });
    expect(invalid.body.issues.map((i: { field: string }) => i.field)).toEqual([
      'reason',
      'requestedBy',
      'at',
    ]);

    const unserved = await stubEncounter('no-worker-polls-this');
    const impatient = await startTestApi({ client, temporalTimeoutMs: 1_000 });
    try {
      const response = await postWithdrawal(unserved, withdrawal, impatient);
      expect(response.status).toBe(503);
      expect(response.body.error).toBe('withdrawal_unavailable');
    } finally {
      await impatient.close();
    }
  });

  it('through the SDK and `fedreport encounters withdraw`', async () => {
    const bySdk = await stubEncounter();
    await expect(sdk.withdraw(bySdk, withdrawal)).resolves.toMatchObject({
      outcome: 'cancelled-before-send',
    });
    const refused = await sdk.withdraw(bySdk, { ...withdrawal, reason: 'deleted' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(FedreportApiError);
    expect(refused).toMatchObject({ status: 409, code: 'withdrawal_refused' });

    const byCli = await stubEncounter();
    const run = await runFedreportCli(registerEncounterCommands, [
      'encounters',
      'withdraw',
      byCli,
      '--reason',
      'deleted',
      '--by',
      'operator on behalf of the practice',
    ]);
    expect(run.error).toBeUndefined();
    expect(run.stdout).toBe(
      `withdraw accepted by ${encounterWorkflowId(byCli)} (state: cancelled, cancelled-before-send)\n`,
    );
  });
});

describe('completeness reconciliation (11)', () => {
  const period = { from: '2026-11-01T00:00:00Z', to: '2026-11-30T23:59:59Z' };

  /** A practice no other test uses, so its last reconciliation is this test's. */
  const practice = `T${crypto.randomInt(1e8).toString().padStart(8, '0')}`;

  async function submitted(change: (snapshot: any) => void = () => undefined): Promise<string> {
    const snapshot = exampleSnapshot();
    snapshot.hostingPractice.odsCode = practice;
    change(snapshot);
    started.add(encounterWorkflowId(snapshot.encounterId));
    await sdk.submitConsultation(snapshot);
    return snapshot.encounterId as string;
  }

  it('names the missed hooks, the encounters of another practice, and the state of the others', async () => {
    const held = [await submitted(), await submitted(), await submitted()];
    const elsewhere = await submitted((s) => (s.hostingPractice.odsCode = 'Y90002'));
    const missed = [crypto.randomUUID(), crypto.randomUUID()];
    const encounterIds = [held[0]!.toUpperCase(), ...held.slice(1), elsewhere, ...missed, held[1]!];
    const report = await eventually(async () => {
      const answer = await sdk.reconcile(practice, { ...period, encounterIds });
      expect(answer.encounters).toHaveLength(3); // visibility trails the workflows by a moment
      return answer;
    });
    expect(report).toEqual({
      practiceOds: practice,
      ...period,
      checked: 6,
      missing: missed,
      otherPractice: [elsewhere],
      encounters: [held[0]!.toUpperCase(), ...held.slice(1)].map((encounterId) => ({
        encounterId,
        state: 'waiting-quiet-period',
        running: true,
      })),
      states: { 'waiting-quiet-period': 3 },
    });
    // Kept for the practice's daily digest (the digest's own test reads it back).
    const recorder = practiceReconciliationWorkflowId(practice);
    started.add(recorder);
    const history = await client.workflow.getHandle(recorder).fetchHistory();
    const signals = (history.events ?? []).flatMap((e) => e.workflowExecutionSignaledEventAttributes ?? []);
    expect(signals.map((signal) => signal.signalName)).toContain('reconciliationRecorded');
  });

  it('400 for a path that is not an ODS code, 422 for a bad list', async () => {
    const post = (ods: string, body: unknown) =>
      fetch(`${api.url}/v1/practices/${ods}/reconciliation`, {
        method: 'POST',
        headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));
    expect(await post('y9', { ...period, encounterIds: [crypto.randomUUID()] })).toMatchObject({
      status: 400,
      body: { error: 'invalid_practice_ods', issues: [{ field: 'path.ods' }] },
    });
    expect(await post('Y90001', { ...period, encounterIds: ['not-a-guid'] })).toMatchObject({
      status: 422,
      body: {
        error: 'invalid_reconciliation',
        issues: [{ field: 'encounterIds[0]', reason: 'must be a GUID' }],
      },
    });
  });

  it('`fedreport reconcile` prints the missed hooks and exits non-zero for them', async () => {
    const held = await submitted();
    const missed = crypto.randomUUID();
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'fedreport-reconcile-')), 'guids.txt');
    fs.writeFileSync(file, `# saved in November\n${held}\n\n${missed}\n`);
    const args = ['reconcile', file, '--practice', practice, '--from', period.from, '--to', period.to];
    const run = await eventually(async () => {
      const attempt = await runFedreportCli(registerReconcileCommands, args);
      expect(attempt.stdout).toContain('waiting-quiet-period 1');
      return attempt;
    });
    expect(run.stdout).toBe(
      `practice ${practice}, ${period.from} to ${period.to}: 2 encounter(s) checked\n` +
        `missing (no encounter in fedreport: missed hooks): 1\n  ${missed}\n` +
        'held for another hosting practice: 0\n' +
        'states: waiting-quiet-period 1\n',
    );
    expect(run.error).toBeInstanceOf(MissedHooksError);

    fs.writeFileSync(file, `${held}\nnot-a-guid\n`);
    const invalid = await runFedreportCli(registerReconcileCommands, args);
    expect(invalid.error).toMatchObject({ issues: [{ field: `${file} line 2`, reason: 'must be a GUID' }] });
  });
});
