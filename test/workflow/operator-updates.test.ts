/**
 * Operator commands as Updates: a validator refuses a command that cannot apply, with the reason, and changes
 * nothing; an accepted command answers with the state it was accepted in and is applied like its old signal.
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { acknowledgementReceivedSignal, cancelUpdate, resendUpdate, resolveUpdate } from '../../workflows/encounter-messages';
import { withdrawUpdate } from '../../workflows/encounter-withdrawal';
import { recordHistoryIfRequested } from '../support/histories';
import { eventually, useEncounterScenarios, type Scenario } from './support/encounter-scenarios';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const BY = { requestedBy: 'operator-1' };

const { env, scenario } = useEncounterScenarios('operator-updates-test');

/** The reason a refused update carries (the validator's message). */
async function refusal(update: Promise<unknown>): Promise<string> {
  const error: unknown = await update.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
  return (error as WorkflowUpdateFailedError).cause?.message ?? '';
}

/** Saves, lets the quiet period pass, and answers version 1 with a business acknowledgement. */
async function sendThenAnswer(s: Scenario, code: string, positive: boolean): Promise<void> {
  await s.save(1);
  await env().sleep(3 * HOUR + MINUTE);
  await eventually(() => expect(s.world.sends).toHaveLength(1));
  const messageHeaderId = `mh-${s.encounterId}-1-${s.world.sends[0]!.firstBuiltAt}`;
  await s.handle.signal(acknowledgementReceivedSignal, { messageHeaderId, kind: 'business', code, positive, receivedAt: new Date().toISOString() });
}

it('refuses a resend while a send is in flight, and the send completes once', async () => {
  await scenario(async (s) => {
    const release = s.world.holdSends();
    await s.save(1);
    // Send now, not after the quiet period: skipped time stands still while an activity runs.
    await s.handle.executeUpdate(resendUpdate, { args: [BY] });
    await eventually(() => expect(s.world.sends).toHaveLength(1));
    expect((await s.status()).state).toBe('sending');
    expect(await refusal(s.handle.executeUpdate(resendUpdate, { args: [BY] }))).toMatch(/a send is in flight/);
    release();
    await eventually(async () => expect((await s.status()).state).toBe('awaiting-acknowledgement'));
    expect(s.world.sends).toHaveLength(1);
  });
});

it('refuses a cancel after the report was acknowledged', async () => {
  await scenario(async (s) => {
    await sendThenAnswer(s, '11', true);
    await eventually(async () => expect((await s.status()).state).toBe('acknowledged'));
    expect(await refusal(s.handle.executeUpdate(cancelUpdate, { args: [BY] }))).toMatch(/acknowledged.*nothing to cancel/);
    expect((await s.status()).state).toBe('acknowledged');
  });
});

it('refuses a resolve with nothing to resolve', async () => {
  await scenario(async (s) => {
    await s.save(1);
    await eventually(async () => expect((await s.status()).state).toBe('waiting-quiet-period'));
    expect(await refusal(s.handle.executeUpdate(resolveUpdate, { args: [BY] }))).toMatch(/nothing to resolve: the encounter is waiting-quiet-period/);
  });
});

it('refuses a command that names nobody', async () => {
  await scenario(async (s) => {
    await s.save(1);
    expect(await refusal(s.handle.executeUpdate(resendUpdate, { args: [{ requestedBy: ' ' }] }))).toMatch(/requestedBy/);
  });
});

it('accepts a resend of a parked encounter, answers with the state, and retries with the same ids', async () => {
  await scenario(
    async (s) => {
      await s.save(1);
      await env().sleep(3 * HOUR + MINUTE);
      await eventually(async () => expect((await s.status()).state).toBe('needs-attention'));
      expect(await s.handle.executeUpdate(resendUpdate, { args: [BY] })).toEqual({ command: 'resend', state: 'needs-attention' });
      await eventually(async () => expect((await s.status()).state).toBe('awaiting-acknowledgement'));
      expect(s.world.sends.map((send) => send.firstBuiltAt)).toEqual([s.world.sends[0]!.firstBuiltAt, s.world.sends[0]!.firstBuiltAt]);
      await recordHistoryIfRequested(s.handle, 'timeskipping-needs-attention-operator-resend-update');
    },
    (world) => (world.sendBehaviours = ['permanent-failure']),
  );
});

it('accepts a cancel during the quiet period, and nothing is sent', async () => {
  await scenario(async (s) => {
    await s.save(1);
    expect(await s.handle.executeUpdate(cancelUpdate, { args: [BY] })).toEqual({ command: 'cancel', state: 'waiting-quiet-period' });
    await eventually(async () => expect((await s.status()).state).toBe('cancelled'));
    await env().sleep(4 * HOUR);
    expect(s.world.sends).toHaveLength(0);
  });
});

it('accepts a resolve of a rejected report', async () => {
  await scenario(async (s) => {
    await sendThenAnswer(s, '20010', false);
    await eventually(async () => expect((await s.status()).state).toBe('rejected'));
    expect(await s.handle.executeUpdate(resolveUpdate, { args: [BY] })).toEqual({ command: 'resolve', state: 'rejected' });
    await eventually(async () => expect((await s.status()).state).toBe('resolved'));
  });
});

describe('withdrawal by the clinical system', () => {
  const withdrawal = { reason: 'entered-in-error' as const, requestedBy: 'clinical-system', at: '2026-11-21T10:00:00Z' };

  it('before the send cancels the pending report, and later saves are ignored', async () => {
    await scenario(async (s) => {
      await s.save(1);
      expect(await s.handle.executeUpdate(withdrawUpdate, { args: [withdrawal] })).toEqual({ state: 'cancelled', outcome: 'cancelled-before-send' });
      await s.save(2);
      await env().sleep(4 * HOUR);
      expect(s.world.sends).toHaveLength(0);
      expect((await s.status()).detail).toBe('withdrawn at the clinical system (entered-in-error) by clinical-system: no report had been sent, and none will be');
    });
  });

  it('after the send alerts an operator to contact the registered practice', async () => {
    await scenario(async (s) => {
      await sendThenAnswer(s, '11', true);
      await eventually(async () => expect((await s.status()).state).toBe('acknowledged'));
      expect(await s.handle.executeUpdate(withdrawUpdate, { args: [withdrawal] })).toMatchObject({ outcome: 'operator-alerted' });
      expect(s.world.alerts.map((a) => a.kind)).toEqual(['withdrawn-after-send']);
      expect(s.world.alerts[0]!.detail).toMatch(/after version 1 went to Y90002: contact that practice/);
    });
  });

  it('is answered again when retried, refused when it differs, and refused while a send is in flight', async () => {
    await scenario(async (s) => {
      const release = s.world.holdSends();
      await s.save(1);
      await s.handle.executeUpdate(resendUpdate, { args: [BY] });
      await eventually(() => expect(s.world.sends).toHaveLength(1));
      expect(await refusal(s.handle.executeUpdate(withdrawUpdate, { args: [withdrawal] }))).toBe('a send is in flight: withdraw when it has finished');
      release();
      await eventually(async () => expect((await s.status()).state).toBe('awaiting-acknowledgement'));
      const first = await s.handle.executeUpdate(withdrawUpdate, { args: [withdrawal] });
      expect(await s.handle.executeUpdate(withdrawUpdate, { args: [withdrawal] })).toEqual(first);
      expect(s.world.alerts.filter((a) => a.kind === 'withdrawn-after-send')).toHaveLength(1);
      const other = { ...withdrawal, at: '2026-11-21T11:00:00Z' };
      expect(await refusal(s.handle.executeUpdate(withdrawUpdate, { args: [other] }))).toBe('already withdrawn (entered-in-error) by clinical-system');
    });
  });

  it('is refused when the withdrawal names no reason', async () => {
    await scenario(async (s) => {
      await s.save(1);
      expect(await refusal(s.handle.executeUpdate(withdrawUpdate, { args: [{ ...withdrawal, reason: 'oops' as never }] }))).toMatch(/reason/);
    });
  });
});
