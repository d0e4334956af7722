/**
 * Encounter semantics for a live federation (issue 15): corrections unblock a parked encounter, a save of another
 * hosting practice is refused, a retried save after a short idle retention (the earlier run read for real) is not sent again, and a new version replaces only
 * a document the receiver did not refuse.
 */
import type { EligibilityVerdict } from '../../workflows/encounter-activities';
import { createPreviousRunActivities } from '../../worker/previous-run';
import { acknowledgementReceivedSignal } from '../../workflows/encounter-messages';
import { recordHistoryIfRequested } from '../support/histories';
import { eventually, useEncounterScenarios, type Scenario } from './support/encounter-scenarios';
import { DEFAULT_SETTINGS } from './support/recording-activities';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const { env, scenario } = useEncounterScenarios('encounter-corrections-test');

/** The scripted verdict: a report is required for Y90002, with what the test adds. */
const required = (
  extra: Partial<Extract<EligibilityVerdict, { verdict: 'required' }>>,
): EligibilityVerdict => ({
  verdict: 'required',
  registeredPracticeOds: 'Y90002',
  reason: 'registered at Y90002 in the same federation',
  ...extra,
});

async function afterQuietPeriod(s: Scenario, sends: number): Promise<void> {
  await env().sleep(3 * HOUR + MINUTE);
  await eventually(() => expect(s.world.sends).toHaveLength(sends));
}

it('a corrected save ends a needs-attention wait and a fresh cycle sends without an operator', async () => {
  await scenario(
    async (s) => {
      await s.save(1);
      await afterQuietPeriod(s, 1);
      await eventually(async () => expect((await s.status()).state).toBe('needs-attention'));
      await s.save(2);
      await eventually(async () => expect((await s.status()).state).toBe('waiting-quiet-period'));
      await afterQuietPeriod(s, 2);
      await eventually(async () => expect((await s.status()).state).toBe('awaiting-acknowledgement'));
      const status = await s.status();
      expect(status.alerts).toEqual([
        expect.stringMatching(/send-failed v1: .* \(superseded by revision 2\)$/),
      ]);
      expect(s.world.sends.map((send) => send.version)).toEqual([1, 1]);
      expect(s.world.sends[1]!.firstBuiltAt).not.toBe(s.world.sends[0]!.firstBuiltAt);
      await recordHistoryIfRequested(s.handle, 'timeskipping-needs-attention-corrected-by-save');
    },
    (world) => (world.sendBehaviours = ['permanent-failure']),
  );
});

it('refuses a save that names another hosting practice, with an alert, and reports the encounter’s own', async () => {
  await scenario(async (s) => {
    await s.save(1);
    await s.save(2, undefined, 'Y90003');
    await eventually(() => expect(s.world.alerts.map((a) => a.kind)).toEqual(['other-hosting-practice']));
    expect(s.world.alerts[0]!.detail).toBe('revision 2 names hosting practice Y90003, not Y90001: refused');
    expect((await s.status()).latestRevision).toBe(1);
    await afterQuietPeriod(s, 1);
    expect(s.world.sends[0]!.snapshot.revision).toBe(1);
    await recordHistoryIfRequested(s.handle, 'timeskipping-other-hosting-practice-refused');
  });
});

it('after a short idle retention completes the run, a retried save of a revision it reported is ignored and a newer one is the next version', async () => {
  await scenario(
    async (s) => {
      s.world.previousRunReader = createPreviousRunActivities(env().client).previousRunSummary;
      await s.save(1);
      await afterQuietPeriod(s, 1);
      const header = `mh-${s.encounterId}-1-${s.world.sends[0]!.firstBuiltAt}`;
      const ack = (kind: 'infrastructure' | 'business', code: string) => ({
        messageHeaderId: header,
        kind,
        code,
        positive: true,
        receivedAt: new Date().toISOString(),
      });
      await s.handle.signal(acknowledgementReceivedSignal, ack('infrastructure', '20013'));
      await s.handle.signal(acknowledgementReceivedSignal, ack('business', '30001'));
      await eventually(async () => expect((await s.status()).state).toBe('acknowledged'));
      // Idle for the retention window: the run completes with its status as its result.
      expect(await s.handle.result()).toMatchObject({
        latestRevision: 1,
        reportVersion: 1,
        state: 'acknowledged',
      });

      await s.save(1); // the clinical system retries an old save: a new run starts
      await eventually(async () =>
        expect((await s.status()).detail).toBe('revision 1 ignored: the earlier run had reached revision 1'),
      );
      expect((await s.status()).state).toBe('acknowledged');
      await env().sleep(4 * HOUR);
      expect(s.world.sends).toHaveLength(1);
      await s.save(2);
      await afterQuietPeriod(s, 2);
      expect(s.world.sends[1]).toMatchObject({
        version: 2,
        previousDocumentIdentifier: `doc-${s.encounterId}-1-${s.world.sends[0]!.firstBuiltAt}`,
      });
      expect(s.world.sends[1]!.snapshot.revision).toBe(2);
      await recordHistoryIfRequested(s.handle, 'timeskipping-stale-save-after-retention');
    },
    (world) => world.settingsByPractice.set('Y90001', { ...DEFAULT_SETTINGS, idleRetentionMs: 6 * HOUR }),
  );
});

it('a version after a rejected one replaces no document', async () => {
  await scenario(async (s) => {
    await s.save(1);
    await afterQuietPeriod(s, 1);
    const messageHeaderId = `mh-${s.encounterId}-1-${s.world.sends[0]!.firstBuiltAt}`;
    await s.handle.signal(acknowledgementReceivedSignal, {
      messageHeaderId,
      kind: 'business',
      code: '20010',
      positive: false,
      receivedAt: new Date().toISOString(),
    });
    await eventually(async () => expect((await s.status()).state).toBe('rejected'));
    await s.save(2);
    await afterQuietPeriod(s, 2);
    expect(s.world.sends[1]!.version).toBe(2);
    expect(s.world.sends[1]!.previousDocumentIdentifier).toBeUndefined();
  });
});

it('a save that changes nothing the report carries sends no new version, and the status says so', async () => {
  await scenario(
    async (s) => {
      await s.save(1);
      await afterQuietPeriod(s, 1);
      await s.save(2);
      await env().sleep(3 * HOUR + MINUTE);
      await eventually(async () => expect((await s.status()).detail).toMatch(/^unchanged since version 1/));
      expect((await s.status()).state).toBe('awaiting-acknowledgement');
      expect(s.world.sends).toHaveLength(1);
    },
    (world) => (world.verdict = required({ contentDigest: 'same-content' })),
  );
});

it('addresses MESH with the spine’s demographics, says where the record differs, and alerts when asked to', async () => {
  const addressDemographics = { familyName: 'Spine-Surname', birthDate: '1980-01-02' };
  await scenario(
    async (s) => {
      await s.save(1);
      await afterQuietPeriod(s, 1);
      expect(s.world.sends[0]!.addressDemographics).toEqual(addressDemographics);
      await eventually(async () => expect((await s.status()).state).toBe('awaiting-acknowledgement'));
      expect((await s.status()).detail).toBe(
        "the record's family name differs from the spine's: version 1 was addressed with the spine's (MESH verifies against it)",
      );
      expect(s.world.alerts.map((a) => a.kind)).toEqual(['spine-mismatch']);
    },
    (world) =>
      (world.verdict = required({
        addressDemographics,
        spineMismatch: { fields: ['family name'], alert: true },
      })),
  );
});
