/**
 * `fedreport encounters history`: the export replays against the workflow code, holds no readable patient data (the
 * payloads stay encrypted: useless without the codec keys), and a history with plaintext payloads is refused.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { EncounterNotFoundError } from '../../../client/operations';
import { buildDataConverter } from '../../../common/data-converter';
import { ValidationError } from '../../../domain/validation-error';
import { encounterWorkflowId } from '../../../workflows/encounter-identity';
import { ENCOUNTER_WORKFLOW_TYPE, consultationSavedSignal } from '../../../workflows/encounter-messages';
import { snapshotAt } from '../../workflow/support/snapshots';
import { EXAMPLE_PHI, testKeyring } from '../api/support';
import { startCliHarness, type CliHarness } from './support';

let harness: CliHarness;
beforeAll(async () => {
  harness = await startCliHarness();
});
afterAll(() => harness?.close());

/** Every string of the file, and what it says when read as base64 (how payload data is written in JSON). */
function readableTexts(file: string): string[] {
  const texts: string[] = [];
  const visit = (value: unknown): void => {
    if (typeof value === 'string') texts.push(value, Buffer.from(value, 'base64').toString('latin1'));
    else if (Array.isArray(value)) value.forEach(visit);
    else if (typeof value === 'object' && value !== null) Object.values(value).forEach(visit);
  };
  visit(JSON.parse(fs.readFileSync(file, 'utf8')));
  return texts;
}

const phiIn = (file: string) =>
  EXAMPLE_PHI.filter((phi) => readableTexts(file).some((text) => text.includes(phi)));

/** An encounter whose first send failed and was resent by an operator: signals, activities, a failure. */
async function encounterWithEventfulHistory(): Promise<string> {
  const practice = harness.practice('fast');
  harness.world.sendBehaviours.push('permanent-failure');
  const { file, encounterId } = harness.snapshotFile(practice);
  expect((await harness.cli('submit', file)).error).toBeUndefined();
  await harness.statusWhen(encounterId, (s) => s.state === 'needs-attention');
  expect((await harness.cli('resend', encounterId, '--by', 'ops')).error).toBeUndefined();
  await harness.statusWhen(encounterId, (s) => s.state === 'awaiting-acknowledgement');
  return encounterId;
}

it('exports a history that replays with the codec keys, and is unreadable without them', async () => {
  const encounterId = await encounterWithEventfulHistory();
  const out = path.join(harness.workDir, 'history.json');

  const run = await harness.cli('history', encounterId, '--out', out);
  expect(run.error).toBeUndefined();
  expect(run.stdout).toMatch(
    new RegExp(
      `^wrote ${out}: \\d+ events of ${encounterWorkflowId(encounterId)}, \\d+ payloads encrypted with codec key\\(s\\) test1; replaying it needs those keys\\n$`,
    ),
  );
  expect(run.stderr).toBe('');
  expect(phiIn(out)).toEqual([]);

  const history: unknown = JSON.parse(fs.readFileSync(out, 'utf8'));
  const { workflowBundle, keyring } = harness;
  await expect(
    Worker.runReplayHistory({ workflowBundle, dataConverter: buildDataConverter(keyring) }, history),
  ).resolves.toBeUndefined();
  await expect(
    Worker.runReplayHistory({ workflowBundle, dataConverter: buildDataConverter(testKeyring()) }, history),
  ).rejects.toThrow('Replay failed due workflow task failure');
});

it('exports a given run, and names what it cannot find', async () => {
  const encounterId = await encounterWithEventfulHistory();
  const { runId } = await harness.client.workflow.getHandle(encounterWorkflowId(encounterId)).describe();
  const out = path.join(harness.workDir, 'run.json');
  expect((await harness.cli('history', encounterId, '--out', out, '--run', runId)).error).toBeUndefined();
  expect(fs.existsSync(out)).toBe(true);

  const unknownRun = crypto.randomUUID();
  const noRun = await harness.cli('history', encounterId, '--out', out, '--run', unknownRun);
  expect(noRun.error).toBeInstanceOf(EncounterNotFoundError);
  expect((noRun.error as Error).message).toBe(`${encounterWorkflowId(encounterId)}: no run ${unknownRun}`);

  const unknown = crypto.randomUUID();
  const noWorkflow = await harness.cli('history', unknown, '--out', out);
  expect((noWorkflow.error as Error).message).toBe(`encounter-${unknown}: no such workflow`);
});

it('refuses a history with plaintext payloads unless told, and then warns', async () => {
  // A client without the codec (e.g. an operator tool misconfigured) writes the snapshot in plaintext.
  const plainClient = new Client({
    connection: harness.client.connection,
    namespace: harness.client.options.namespace,
  });
  const encounterId = crypto.randomUUID();
  const workflowId = encounterWorkflowId(encounterId);
  harness.remember(workflowId);
  await plainClient.workflow.signalWithStart(ENCOUNTER_WORKFLOW_TYPE, {
    workflowId,
    taskQueue: `no-worker-${encounterId}`,
    args: [{ encounterId, hostingPracticeOds: 'Y90001' }],
    signal: consultationSavedSignal,
    signalArgs: [snapshotAt(Date.now(), 1, { encounterId })],
  });
  const out = path.join(harness.workDir, 'plaintext.json');

  const refused = await harness.cli('history', encounterId, '--out', out);
  expect(refused.error).toBeInstanceOf(ValidationError);
  expect((refused.error as ValidationError).issues.map((issue) => issue.field)).toEqual([
    'event 1 workflowExecutionStartedEventAttributes.input.payloads[0]',
    'event 2 workflowExecutionSignaledEventAttributes.input.payloads[0]',
    '--allow-plaintext',
  ]);
  expect(fs.existsSync(out)).toBe(false);

  const allowed = await harness.cli('history', encounterId, '--out', out, '--allow-plaintext');
  expect(allowed.error).toBeUndefined();
  expect(allowed.stderr).toBe('warning: 2 plaintext payload(s) written: keep the file private\n');
  // The same check that found nothing in the encrypted export finds the patient here.
  expect(phiIn(out)).toEqual(EXAMPLE_PHI);
});
