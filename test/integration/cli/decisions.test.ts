/**
 * `fedreport encounters resend|cancel|resolve`: operator commands are accepted by the running workflow and change
 * its state, one encounter at a time or every match of --status/--practice after confirmation. Refusals:
 * command-refusals.test.ts.
 */
import crypto from 'node:crypto';
import { ConfirmationRequiredError } from '../../../client/cli/encounter-commands';
import { EncounterNotFoundError } from '../../../client/operations';
import { ValidationError } from '../../../domain/validation-error';
import { encounterWorkflowId } from '../../../workflows/encounter-identity';
import { eventually, startCliHarness, type CliHarness } from './support';

let harness: CliHarness;
beforeAll(async () => {
  harness = await startCliHarness();
});
afterAll(() => harness?.close());

/** Encounters of a new one-second practice whose first send fails for good: each waits for an operator. */
async function encountersNeedingAttention(count: number): Promise<{ practice: string; ids: string[] }> {
  const practice = harness.practice('fast');
  harness.world.sendBehaviours.push(...Array<'permanent-failure'>(count).fill('permanent-failure'));
  const files = Array.from({ length: count }, () => harness.snapshotFile(practice));
  expect((await harness.cli('submit', ...files.map((f) => f.file))).error).toBeUndefined();
  const ids = files.map((f) => f.encounterId);
  for (const id of ids) await harness.statusWhen(id, (s) => s.state === 'needs-attention');
  return { practice, ids };
}

const sendsOf = (encounterId: string) =>
  harness.world.sends.filter((send) => send.snapshot.encounterId === encounterId).length;

it('resend retries the failed send, cancel and resolve close the encounter', async () => {
  const {
    ids: [resent, cancelled, resolved],
  } = await encountersNeedingAttention(3);
  expect(harness.world.sendBehaviours).toEqual([]);

  const resend = await harness.cli('resend', resent!, '--by', 'ops-alice', '--reason', 'MESH mailbox fixed');
  expect(resend.stdout).toBe(`resend accepted by ${encounterWorkflowId(resent!)} (state: needs-attention)\n`);
  const afterResend = await harness.statusWhen(resent!, (s) => s.state === 'awaiting-acknowledgement');
  expect(afterResend).toMatchObject({ reportVersion: 1, sendsSoFar: 2 });
  expect(sendsOf(resent!)).toBe(2);

  const cancel = await harness.cli('cancel', encounterWorkflowId(cancelled!), '--by', 'ops-alice');
  expect(cancel.error).toBeUndefined();
  expect(cancel.stdout).toBe(
    `cancel accepted by ${encounterWorkflowId(cancelled!)} (state: needs-attention)\n`,
  );
  expect(await harness.statusWhen(cancelled!, (s) => s.state === 'cancelled')).toMatchObject({
    sendsSoFar: 1,
  });

  const resolve = await harness.cli('resolve', resolved!, '--by', 'INC-1234');
  expect(resolve.error).toBeUndefined();
  expect(resolve.stdout).toBe(
    `resolve accepted by ${encounterWorkflowId(resolved!)} (state: needs-attention)\n`,
  );
  expect(await harness.statusWhen(resolved!, (s) => s.state === 'resolved')).toMatchObject({ sendsSoFar: 1 });
  expect(sendsOf(cancelled!) + sendsOf(resolved!)).toBe(2);
});

it('applies a command to every match after confirmation, and lists the matches without --yes', async () => {
  const { practice, ids } = await encountersNeedingAttention(2);
  await eventually(async () => {
    const listed = await harness.cli('list', '--status', 'needs-attention', '--practice', practice);
    expect(listed.stdout).toContain('2 encounter(s)');
  });
  const resolveNeedingAttention = (...confirmation: string[]) =>
    harness.cli(
      'resolve',
      '--status',
      'needs-attention',
      '--practice',
      practice,
      '--by',
      'ops',
      ...confirmation,
    );

  const unconfirmed = await resolveNeedingAttention();
  expect(unconfirmed.error).toBeInstanceOf(ConfirmationRequiredError);
  expect((unconfirmed.error as Error).message).toBe(
    'nothing sent: add --yes to resolve these 2 encounter(s)',
  );
  for (const id of ids) expect(unconfirmed.stdout).toContain(encounterWorkflowId(id));
  for (const id of ids) await harness.statusWhen(id, (s) => s.state === 'needs-attention');

  const confirmed = await resolveNeedingAttention('--reason', 'reports sent by post', '--yes');
  expect(confirmed.error).toBeUndefined();
  expect(confirmed.stdout).toBe('resolve accepted by 2 of 2 encounter(s)\n');
  for (const id of ids) await harness.statusWhen(id, (s) => s.state === 'resolved');

  await eventually(async () =>
    expect((await resolveNeedingAttention()).stdout).toBe('no running encounters match: nothing sent\n'),
  );
});

it('says which input is wrong, and when the encounter has no running workflow', async () => {
  const neither = await harness.cli('cancel', '--by', 'ops');
  expect(neither.error).toBeInstanceOf(ValidationError);
  expect((neither.error as ValidationError).issues).toEqual([
    {
      field: 'encounter-id',
      reason: 'is required, or --status/--practice to select every matching running encounter',
    },
  ]);

  const both = await harness.cli('cancel', crypto.randomUUID(), '--practice', 'Y90001', '--by', 'ops');
  expect((both.error as ValidationError).issues[0]?.reason).toBe(
    'goes either alone or with --status/--practice, not both',
  );

  const anonymous = await harness.cli('cancel', crypto.randomUUID(), '--by', '  ');
  expect((anonymous.error as ValidationError).issues).toEqual([
    { field: 'requestedBy', reason: 'must not be empty' },
  ]);

  const unknown = crypto.randomUUID();
  const missing = await harness.cli('resend', unknown, '--by', 'ops');
  expect(missing.error).toBeInstanceOf(EncounterNotFoundError);
  expect((missing.error as Error).message).toBe(
    `encounter-${unknown}: no running workflow (never submitted, or already finished)`,
  );
});
