/**
 * The encounter's alert model (workflows/encounter-alerts.ts) on the time-skipping server: one open alert per kind
 * under a key of the workflow id and the kind, a repeat while open sent as an update with a count, and a resolved
 * notice when the encounter leaves the state that raised it.
 */
import { encounterWorkflowId } from '../../workflows/encounter-identity';
import { acknowledgementReceivedSignal, resendUpdate } from '../../workflows/encounter-messages';
import { recordHistoryIfRequested } from '../support/histories';
import { eventually, useEncounterScenarios, type Scenario } from './support/encounter-scenarios';
import { DEFAULT_SETTINGS } from './support/recording-activities';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const BY = { requestedBy: 'operator-1' };

const { env, scenario } = useEncounterScenarios('encounter-alerts-test');

/** Each alert the workflow raised, as key, status, count and kind. */
const lifecycle = (s: Scenario) => s.world.alerts.map(({ key, status, count, kind }) => ({ key, status, count, kind }));
const keyOf = (s: Scenario, kind: string) => `${encounterWorkflowId(s.encounterId)}/${kind}`;
/** Opened, repeated once while open, then resolved: three notices under one key. */
const repeatedThenResolved = (key: string, kind: string) => [
  { key, status: 'open', count: 1, kind },
  { key, status: 'updated', count: 2, kind },
  { key, status: 'resolved', count: 2, kind },
];

async function ack(s: Scenario, kind: 'infrastructure' | 'business', code: string): Promise<void> {
  const messageHeaderId = `mh-${s.encounterId}-1-${s.world.sends[0]!.firstBuiltAt}`;
  await s.handle.signal(acknowledgementReceivedSignal, { messageHeaderId, kind, code, positive: true, receivedAt: new Date().toISOString() });
}

it('a send that fails again after a resend updates its open alert, and a successful resend resolves it', async () => {
  await scenario(
    async (s) => {
      await s.save(1);
      await env().sleep(3 * HOUR + MINUTE);
      await eventually(async () => expect((await s.status()).state).toBe('needs-attention'));
      await s.handle.executeUpdate(resendUpdate, { args: [BY] });
      await eventually(() => expect(s.world.alerts).toHaveLength(2));
      await s.handle.executeUpdate(resendUpdate, { args: [BY] });
      await eventually(async () => expect((await s.status()).state).toBe('awaiting-acknowledgement'));
      await eventually(() => expect(s.world.alerts).toHaveLength(3));
      expect(lifecycle(s)).toEqual(repeatedThenResolved(keyOf(s, 'send-failed'), 'send-failed'));
      expect(s.world.alerts[2]!.detail).toBe('cleared: the encounter is now awaiting-acknowledgement');
      await recordHistoryIfRequested(s.handle, 'timeskipping-alert-updated-then-resolved-by-resend');
    },
    (world) => (world.sendBehaviours = ['permanent-failure', 'permanent-failure']),
  );
});

it('missing-acknowledgement alerts are resolved when the acknowledgements come', async () => {
  await scenario(async (s) => {
    await s.save(1);
    await env().sleep(3 * HOUR + DEFAULT_SETTINGS.infrastructureAckWindowMs + 2 * MINUTE);
    await eventually(() => expect(lifecycle(s).map((a) => a.status)).toEqual(['open']));
    await ack(s, 'infrastructure', '20013');
    await eventually(() => expect(s.world.alerts).toHaveLength(2));
    await env().sleep(DEFAULT_SETTINGS.businessAckWindowMs);
    await eventually(() => expect(s.world.alerts).toHaveLength(3));
    await ack(s, 'business', '30001');
    await eventually(() => expect(s.world.alerts).toHaveLength(4));
    const infrastructure = keyOf(s, 'missing-infrastructure-ack');
    const business = keyOf(s, 'missing-business-ack');
    expect(lifecycle(s)).toEqual([
      { key: infrastructure, status: 'open', count: 1, kind: 'missing-infrastructure-ack' },
      { key: infrastructure, status: 'resolved', count: 1, kind: 'missing-infrastructure-ack' },
      { key: business, status: 'open', count: 1, kind: 'missing-business-ack' },
      { key: business, status: 'resolved', count: 1, kind: 'missing-business-ack' },
    ]);
    expect(s.world.alerts[3]!.detail).toBe('cleared: the encounter is now acknowledged');
    await recordHistoryIfRequested(s.handle, 'timeskipping-missing-acks-resolved');
  });
});

it('a correction that supersedes a parked send resolves its alert', async () => {
  await scenario(
    async (s) => {
      await s.save(1);
      await env().sleep(3 * HOUR + MINUTE);
      await eventually(async () => expect((await s.status()).state).toBe('needs-attention'));
      await s.save(2);
      await eventually(() => expect(lifecycle(s).map((a) => a.status)).toEqual(['open', 'resolved']));
      expect(s.world.alerts[1]).toMatchObject({ kind: 'send-failed', detail: 'cleared: the encounter is now waiting-quiet-period' });
    },
    (world) => (world.sendBehaviours = ['permanent-failure']),
  );
});

it('repeated refused saves update one alert, resolved when the run completes after its idle retention', async () => {
  await scenario(
    async (s) => {
      await s.save(1);
      await s.save(2, undefined, 'Y90003');
      await s.save(3, undefined, 'Y90003');
      await eventually(() => expect(s.world.alerts).toHaveLength(2));
      await s.handle.result();
      expect(lifecycle(s)).toEqual(repeatedThenResolved(keyOf(s, 'other-hosting-practice'), 'other-hosting-practice'));
      expect(s.world.alerts[2]!.detail).toBe('closed: the encounter completed after its idle retention');
    },
    (world) => {
      world.verdict = { verdict: 'not-required', reason: 'registered at the hosting practice' };
      world.settingsByPractice.set('Y90001', { ...DEFAULT_SETTINGS, idleRetentionMs: 6 * HOUR });
    },
  );
});
