/**
 * `fedreport encounters resend` as a Workflow Update: the encounter's validator refuses a command that cannot apply
 * (here: a resend while a send is in flight) and the operator reads the reason; a refusal in a bulk command is
 * reported for its encounter and counted, and the other matches still get the command.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { BulkOperationError } from '../../../client/cli/encounter-commands';
import { OperatorCommandUnansweredError } from '../../../client/operations';
import { encounterWorkflowId } from '../../../workflows/encounter-identity';
import { eventually, startCliHarness, type CliHarness } from './support';

const FEDREPORT = path.resolve(__dirname, '../../../bin/fedreport');
const SEND_IN_FLIGHT = 'a send is in flight: resend when it has finished';

let harness: CliHarness;
beforeAll(async () => {
  harness = await startCliHarness();
});
afterAll(() => harness?.close());

interface ProcessRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

/** `bin/fedreport <args>` as an operator's shell runs it, with the harness's FEDREPORT_* environment. */
function fedreport(...args: string[]): Promise<ProcessRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(FEDREPORT, args, { env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const run: ProcessRun = { exitCode: null, stdout: '', stderr: '' };
    child.stdout.on('data', (chunk: Buffer) => void (run.stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => void (run.stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (exitCode) => resolve({ ...run, exitCode }));
  });
}

/** A new encounter of the practice, submitted through the CLI. */
async function submitEncounter(practice: string): Promise<string> {
  const { file, encounterId } = harness.snapshotFile(practice);
  expect((await harness.cli('submit', file)).error).toBeUndefined();
  return encounterId;
}

const sendsOf = (encounterId: string) =>
  harness.world.sends.filter((send) => send.snapshot.encounterId === encounterId).length;

it('refuses a resend while the send is in flight with the reason, and accepts it once the send has ended', async () => {
  const held = harness.holdSends();
  const encounterId = await submitEncounter(harness.practice('fast'));
  const workflowId = encounterWorkflowId(encounterId);
  await harness.statusWhen(encounterId, (s) => s.state === 'sending');

  const refused = await fedreport('encounters', 'resend', encounterId, '--by', 'ops-alice');
  expect(refused).toEqual({
    exitCode: 1,
    stdout: '',
    stderr: `error: resend refused by ${workflowId}: ${SEND_IN_FLIGHT}\n`,
  });

  held.release();
  await harness.statusWhen(encounterId, (s) => s.state === 'awaiting-acknowledgement');
  expect(sendsOf(encounterId)).toBe(1);

  const accepted = await fedreport('encounters', 'resend', workflowId, '--by', 'ops-alice');
  expect(accepted).toEqual({
    exitCode: 0,
    stdout: `resend accepted by ${workflowId} (state: awaiting-acknowledgement)\n`,
    stderr: '',
  });
  await eventually(async () => expect(sendsOf(encounterId)).toBe(2));
});

it('reports and counts each refusal of a bulk command, and still commands the other matches', async () => {
  const practice = harness.practice('fast');
  harness.world.sendBehaviours.push('permanent-failure');
  const parked = await submitEncounter(practice);
  await harness.statusWhen(parked, (s) => s.state === 'needs-attention');
  const held = harness.holdSends();
  const sending = await submitEncounter(practice);
  await harness.statusWhen(sending, (s) => s.state === 'sending');
  await eventually(async () =>
    expect((await harness.cli('list', '--practice', practice)).stdout).toContain('2 encounter(s)'),
  );

  const run = await harness.cli('resend', '--practice', practice, '--by', 'ops-alice', '--yes');
  expect(run.error).toBeInstanceOf(BulkOperationError);
  expect((run.error as Error).message).toBe('1 of 2 resend commands failed (listed above)');
  expect(run.stdout).toBe(
    `refused  ${encounterWorkflowId(sending)}\n  ${SEND_IN_FLIGHT}\n` +
      'resend accepted by 1 of 2 encounter(s), refused by 1\n',
  );

  held.release();
  for (const id of [parked, sending])
    await harness.statusWhen(id, (s) => s.state === 'awaiting-acknowledgement');
  expect([sendsOf(parked), sendsOf(sending)]).toEqual([2, 1]);
});

it('gives up after --timeout when no worker answers, instead of waiting for one indefinitely', async () => {
  const { encounterId, workflowId } = await harness.startUnserved();

  const run = await harness.cli('cancel', encounterId, '--by', 'ops-alice', '--timeout', '1');
  expect(run.error).toBeInstanceOf(OperatorCommandUnansweredError);
  expect((run.error as Error).message).toBe(
    `no worker answered the cancel of ${workflowId} in time: check that fedreport workers are running, ` +
      'then the status of the encounter before repeating it',
  );
});
