/**
 * `fedreport encounters withdraw` against the real encounter workflow and its `withdraw` Update (the API tests use a
 * stub workflow): before a send the withdrawal is accepted and cancels the pending report; a second, different
 * withdrawal is refused by the workflow's validator, and the CLI prints its reason and exits non-zero.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { encounterWorkflowId } from '../../../workflows/encounter-identity';
import { startCliHarness, type CliHarness } from './support';

const FEDREPORT = path.resolve(__dirname, '../../../bin/fedreport');

let harness: CliHarness;
beforeAll(async () => {
  harness = await startCliHarness();
});
afterAll(() => harness?.close());

/** `bin/fedreport <args>` as an operator's shell runs it; async, so the in-process worker can answer the Update. */
async function fedreportProcess(
  ...args: string[]
): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(FEDREPORT, args, { env: process.env });
    return { exitCode: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { exitCode: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

it('cancels the pending report before a send, and refuses a second withdrawal with the reason', async () => {
  // An hour's quiet period: the report is still pending when the withdrawal arrives.
  const { file, encounterId } = harness.snapshotFile(harness.practice('slow'));
  expect((await harness.cli('submit', file)).error).toBeUndefined();
  await harness.statusWhen(encounterId, (s) => s.state === 'waiting-quiet-period');
  const workflowId = encounterWorkflowId(encounterId);

  const accepted = await harness.cli(
    'withdraw',
    encounterId,
    '--reason',
    'entered-in-error',
    '--by',
    'user 4711',
    '--at',
    '2026-11-21T10:00:00Z',
  );
  expect(accepted).toEqual({
    stdout: `withdraw accepted by ${workflowId} (state: cancelled, cancelled-before-send)\n`,
    stderr: '',
  });
  const status = await harness.statusWhen(encounterId, (s) => s.state === 'cancelled');
  expect(status.detail).toBe(
    'withdrawn at the clinical system (entered-in-error) by user 4711: no report had been sent, and none will be',
  );

  const refused = await fedreportProcess(
    'encounters',
    'withdraw',
    workflowId,
    '--reason',
    'deleted',
    '--by',
    'user 4712',
  );
  expect(refused).toEqual({
    exitCode: 1,
    stdout: '',
    stderr:
      `error: withdrawal of ${workflowId} not accepted (refused): ` +
      'already withdrawn (entered-in-error) by user 4711\n',
  });
  expect(harness.world.sends.filter((send) => send.snapshot.encounterId === encounterId)).toEqual([]);
});
