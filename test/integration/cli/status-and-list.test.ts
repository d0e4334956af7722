/**
 * `fedreport encounters status` and `list`: the status query of one encounter (and what an operator reads when
 * there is none or no worker answers), and the visibility listing by ReportStatus and PracticeOds.
 */
import crypto from 'node:crypto';
import { CommanderError } from 'commander';
import { EncounterStatusUnavailableError } from '../../../client/encounters';
import { EncounterNotFoundError } from '../../../client/operations';
import { encounterWorkflowId } from '../../../workflows/encounter-identity';
import { EXAMPLE_PHI } from '../api/support';
import { eventually, startCliHarness, type CliHarness } from './support';

let harness: CliHarness;
beforeAll(async () => {
  harness = await startCliHarness();
});
afterAll(() => harness?.close());

async function submitted(practice: string): Promise<string> {
  const { file, encounterId } = harness.snapshotFile(practice);
  expect((await harness.cli('submit', file)).error).toBeUndefined();
  return encounterId;
}

describe('status', () => {
  it('prints the status query answer, by GUID or by workflow id, without PHI', async () => {
    const encounterId = await submitted(harness.practice('slow'));
    const expected = await harness.statusWhen(encounterId, (s) => s.nextActionTime !== undefined);

    for (const reference of [encounterId, encounterWorkflowId(encounterId)]) {
      const run = await harness.cli('status', reference);
      expect(run.error).toBeUndefined();
      expect(JSON.parse(run.stdout)).toEqual(expected);
    }
    expect(expected).toMatchObject({
      encounterId,
      state: 'waiting-quiet-period',
      latestRevision: 1,
      sendsSoFar: 0,
    });
    for (const phi of EXAMPLE_PHI)
      expect((await harness.cli('status', encounterId)).stdout).not.toContain(phi);
  });

  it('says when no consultation of the encounter was submitted', async () => {
    const unknown = crypto.randomUUID();
    const run = await harness.cli('status', unknown);
    expect(run.error).toBeInstanceOf(EncounterNotFoundError);
    expect((run.error as Error).message).toBe(
      `encounter-${unknown}: no consultation of this encounter has been submitted`,
    );
  });

  it('says when no worker answers the query in time', async () => {
    const { encounterId } = await harness.startUnserved();
    const run = await harness.cli('status', encounterId, '--timeout', '1');
    expect(run.error).toBeInstanceOf(EncounterStatusUnavailableError);
    expect((run.error as Error).message).toContain('check that fedreport workers are running');
  });

  it('rejects what is not an encounter reference before connecting', async () => {
    const run = await harness.cli('status', 'encounter-42');
    expect(run.error).toBeInstanceOf(CommanderError);
    expect(run.stderr).toContain('must be an encounter GUID or its workflow id encounter-<GUID>');
  });
});

describe('list', () => {
  const rowsOf = (stdout: string) => stdout.split('\n').filter((line) => line.startsWith('encounter-'));

  it('lists encounters by status and practice as a table', async () => {
    const practice = harness.practice('slow');
    const ids = [await submitted(practice), await submitted(practice)];
    const statuses = await Promise.all(
      ids.map((id) => harness.statusWhen(id, (s) => s.nextActionTime !== undefined)),
    );

    const run = await eventually(async () => {
      const listed = await harness.cli('list', '--status', 'waiting-quiet-period', '--practice', practice);
      expect(rowsOf(listed.stdout)).toHaveLength(2);
      return listed;
    });
    expect(run.error).toBeUndefined();
    const [header, ...lines] = run.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^WORKFLOW ID +STATUS +PRACTICE +NEXT ACTION +STARTED$/);
    expect(lines.at(-1)).toBe('2 encounter(s)');
    ids.forEach((id, index) => {
      const row = rowsOf(run.stdout).find((line) => line.startsWith(encounterWorkflowId(id)));
      expect(row?.split(/ +/)).toEqual([
        encounterWorkflowId(id),
        'waiting-quiet-period',
        practice,
        statuses[index]?.nextActionTime,
        expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      ]);
    });

    const limited = await harness.cli('list', '--practice', practice, '--limit', '1');
    expect(rowsOf(limited.stdout)).toHaveLength(1);
    expect(limited.stdout).toContain('1 encounters shown; more match (raise --limit)');

    const none = await harness.cli('list', '--status', 'needs-attention', '--practice', practice);
    expect(none.stdout).toBe('no encounters match\n');
  });

  it('shows closed workflows only when asked, marked as closed', async () => {
    const practice = harness.practice('fast');
    const encounterId = await submitted(practice);
    await harness.statusWhen(encounterId, (s) => s.state === 'awaiting-acknowledgement');
    await harness.client.workflow
      .getHandle(encounterWorkflowId(encounterId))
      .terminate('closed for the test');

    const closed = await eventually(async () => {
      const listed = await harness.cli('list', '--practice', practice, '--include-closed');
      expect(listed.stdout).toContain('awaiting-acknowledgement (terminated)');
      return listed;
    });
    expect(closed.stdout).toContain(encounterWorkflowId(encounterId));
    await eventually(async () =>
      expect((await harness.cli('list', '--practice', practice)).stdout).toBe('no encounters match\n'),
    );
  });

  it('names the option and the reason of an invalid filter', async () => {
    const run = await harness.cli('list', '--practice', 'y9');
    expect(run.error).toBeInstanceOf(CommanderError);
    expect(run.stderr).toContain("option '--practice <ods>' argument 'y9' is invalid. must be an ODS code");
    const quoted = await harness.cli('list', '--status', "x' OR 'a'='a");
    expect(quoted.stderr).toContain('must be a report state such as needs-attention');
  });
});
