/**
 * The encounter workflow's rule matrix on the real time-skipping test server: hours of quiet periods and
 * acknowledgement windows pass in seconds of wall time.
 */
import { temporal } from '@temporalio/proto';
import {
  acknowledgementReceivedSignal,
  cancelReportingSignal,
  consultationSavedSignal,
  meshReportReceivedSignal,
  resendNowSignal,
} from '../../workflows/encounter-messages';
import { recordHistoryIfRequested } from '../support/histories';
import { DEFAULT_SETTINGS } from './support/recording-activities';
import { eventually, useEncounterScenarios, type Scenario } from './support/encounter-scenarios';
import { snapshotAt } from './support/snapshots';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const scenarios = useEncounterScenarios('encounter-workflow-test');
const { scenario } = scenarios;

const ack = (messageHeaderId: string, kind: 'infrastructure' | 'business', code: string, positive: boolean) => ({
  messageHeaderId,
  kind,
  code,
  positive,
  receivedAt: new Date().toISOString(),
});

describe('quiet period', () => {
  it('an update at 2 h 59 m restarts the 3-hour period from that update', async () => {
    await scenario(async (s) => {
      const t0 = await s.now();
      await s.save(1, t0);
      await scenarios.env().sleep(2 * HOUR + 59 * MINUTE);
      await s.save(2, t0 + 2 * HOUR + 59 * MINUTE);
      await eventually(async () => expect((await s.status()).latestRevision).toBe(2));
      await scenarios.env().sleep(2 * HOUR + 59 * MINUTE);
      expect(s.world.sends).toHaveLength(0);
      expect((await s.status()).state).toBe('waiting-quiet-period');
      // Due 3 h after the second save: t0 + 5 h 59 m.
      expect((await s.status()).nextActionTime).toBe(new Date(t0 + 5 * HOUR + 59 * MINUTE).toISOString());
      await scenarios.env().sleep(2 * MINUTE);
      await eventually(() => expect(s.world.sends).toHaveLength(1));
      expect(s.world.sends[0]?.snapshot.revision).toBe(2);
      expect(s.world.sends[0]!.at - t0).toBeGreaterThanOrEqual(5 * HOUR + 59 * MINUTE);
      expect(s.world.sends[0]!.at - t0).toBeLessThan(6 * HOUR + MINUTE);
    });
  });

  it('uses the practice default of 3 hours and a practice-specific period when configured', async () => {
    await scenario(async (s) => {
      const t0 = await s.now();
      await s.save(1, t0);
      await scenarios.env().sleep(3 * HOUR - MINUTE);
      expect(s.world.sends).toHaveLength(0);
      await scenarios.env().sleep(2 * MINUTE);
      await eventually(() => expect(s.world.sends).toHaveLength(1));
    });
    await scenario(
      async (s) => {
        const t0 = await s.now();
        await s.save(1, t0, 'Y90003');
        await scenarios.env().sleep(45 * MINUTE);
        await eventually(() => expect(s.world.sends).toHaveLength(1));
        expect(s.world.sends[0]!.at - t0).toBeLessThan(3 * HOUR);
      },
      (world) => world.settingsByPractice.set('Y90003', { ...DEFAULT_SETTINGS, quietPeriodMs: 30 * MINUTE }),
    );
  });

  it('counts from the save time the clinical system reports, not from when the hook arrived', async () => {
    await scenario(async (s) => {
      const t0 = await s.now();
      await s.save(1, t0 - 2 * HOUR); // hook delivered two hours late
      await scenarios.env().sleep(61 * MINUTE);
      await eventually(() => expect(s.world.sends).toHaveLength(1));
    });
  });

  it('the maximum total wait caps endless editing', async () => {
    await scenario(
      async (s) => {
        const t0 = await s.now();
        for (let revision = 1; revision <= 4; revision++) {
          await s.save(revision, t0 + (revision - 1) * 2 * HOUR);
          await eventually(async () => expect((await s.status()).latestRevision).toBe(revision));
          if (revision < 4) await scenarios.env().sleep(2 * HOUR);
        }
        // Saves at 0, 2, 4, 6 h: without the cap the report would wait until 9 h; the 5-hour cap fires at 5 h.
        await eventually(() => expect(s.world.sends).toHaveLength(1));
        expect(s.world.sends[0]!.at - t0).toBeGreaterThanOrEqual(5 * HOUR);
        expect(s.world.sends[0]!.at - t0).toBeLessThan(6 * HOUR + MINUTE);
      },
      (world) => world.settingsByPractice.set('Y90001', { ...DEFAULT_SETTINGS, maxTotalWaitMs: 5 * HOUR }),
    );
  });

  it('ignores duplicate and out-of-order revisions', async () => {
    await scenario(async (s) => {
      const t0 = await s.now();
      await s.save(3, t0);
      await s.save(3, t0);
      await s.save(2, t0 + MINUTE);
      await eventually(async () => expect((await s.status()).latestRevision).toBe(3));
      await scenarios.env().sleep(3 * HOUR + MINUTE);
      await eventually(() => expect(s.world.sends).toHaveLength(1));
      expect(s.world.sends[0]?.snapshot.revision).toBe(3);
      await scenarios.env().sleep(4 * HOUR);
      expect(s.world.sends).toHaveLength(1);
    });
  });
});

describe('bounded history', () => {
  it('an update storm of 2,500 saves continues as new past the history threshold and still sends exactly one report', async () => {
    await scenario(async (s) => {
      const t0 = await s.now();
      await s.save(1, t0);
      const firstRunId = (await s.handle.describe()).runId;
      for (let revision = 2; revision <= 2_500; revision++) {
        await s.handle.signal(consultationSavedSignal, snapshotAt(t0 + revision, revision, { encounterId: s.encounterId }));
      }
      await eventually(async () => expect((await s.status()).latestRevision).toBe(2_500), 60_000);
      const { runId, historyLength } = await s.handle.describe();
      expect(runId).not.toBe(firstRunId);
      expect(historyLength).toBeLessThan(2_000);
      await scenarios.env().sleep(3 * HOUR + MINUTE);
      await eventually(() => expect(s.world.sends).toHaveLength(1));
      expect(s.world.sends[0]?.snapshot.revision).toBe(2_500);
    });
  }, 180_000);
});

describe('engine cost', () => {
  it('a new encounter reaches its quiet-period timer in one workflow task: no activity task, settings loaded once', async () => {
    await scenario(async (s) => {
      await s.save(1);
      let events: temporal.api.history.v1.IHistoryEvent[] = [];
      await eventually(async () => {
        events = (await s.handle.fetchHistory()).events ?? [];
        expect(events.some((event) => event.timerStartedEventAttributes)).toBe(true);
      });
      const untilTimer = events.slice(0, events.findIndex((event) => event.timerStartedEventAttributes) + 1);
      const count = (type: temporal.api.enums.v1.EventType) => untilTimer.filter((event) => event.eventType === type).length;
      const { EventType } = temporal.api.enums.v1;
      expect(count(EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED)).toBe(1);
      expect(count(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)).toBe(0);
      const markers = untilTimer.map((event) => event.markerRecordedEventAttributes?.markerName).filter(Boolean);
      // The patch, the previous-run lookup and one settings load.
      expect(markers).toEqual(['core_patch', 'core_local_activity', 'core_local_activity']);
    });
  });
});

describe('versions', () => {
  it('an update after the report was sent leads to a complete version 2 after the period, replacing version 1', async () => {
    await scenario(async (s) => {
      const t0 = await s.now();
      await s.save(1, t0);
      await scenarios.env().sleep(3 * HOUR + MINUTE);
      await eventually(() => expect(s.world.sends).toHaveLength(1));
      const t1 = await s.now();
      await s.save(2, t1);
      await scenarios.env().sleep(2 * HOUR);
      expect(s.world.sends).toHaveLength(1);
      await scenarios.env().sleep(HOUR + MINUTE);
      await eventually(() => expect(s.world.sends).toHaveLength(2));
      const [v1, v2] = s.world.sends;
      expect(v2?.version).toBe(2);
      expect(v2?.snapshot.revision).toBe(2);
      expect(v2?.previousDocumentIdentifier).toBe(`doc-${s.encounterId}-1-${v1?.firstBuiltAt}`);
      expect((await s.status()).reportVersion).toBe(2);
      await recordHistoryIfRequested(s.handle, 'timeskipping-version-2-after-update');
    });
  });
});

describe('eligibility outcomes', () => {
  it.each([
    ['not-required', { verdict: 'not-required', reason: 'regular registration at the hosting practice' }],
    ['blocked', { verdict: 'blocked', reason: 'patient not found in PDS' }],
  ] as const)('%s: sends nothing, shows the reason', async (state, verdict) => {
    await scenario(
      async (s) => {
        await s.save(1);
        await scenarios.env().sleep(3 * HOUR + MINUTE);
        await eventually(async () => expect((await s.status()).state).toBe(state));
        expect(s.world.sends).toHaveLength(0);
        expect((await s.status()).detail).toBe(verdict.reason);
        expect(s.world.alerts.map((a) => a.kind)).toEqual(state === 'blocked' ? ['eligibility-blocked'] : []);
      },
      (world) => (world.verdict = verdict),
    );
  });
});

describe('acknowledgements', () => {
  async function sentReport(s: Scenario): Promise<string> {
    await s.save(1);
    await scenarios.env().sleep(3 * HOUR + MINUTE);
    await eventually(async () => expect((await s.status()).state).toBe('awaiting-acknowledgement'));
    return `mh-${s.encounterId}-1-${s.world.sends[0]?.firstBuiltAt}`;
  }

  it('positive infrastructure then business acks → acknowledged, no alert', async () => {
    await scenario(async (s) => {
      const header = await sentReport(s);
      await s.handle.signal(acknowledgementReceivedSignal, ack(header, 'infrastructure', '20013', true));
      await s.handle.signal(acknowledgementReceivedSignal, ack(header, 'business', '30001', true));
      await eventually(async () => expect((await s.status()).state).toBe('acknowledged'));
      await scenarios.env().sleep(72 * HOUR);
      expect(s.world.alerts).toEqual([]);
      expect((await s.status()).codesReceived.map((c) => c.code)).toEqual(['20013', '30001']);
      await recordHistoryIfRequested(s.handle, 'timeskipping-acknowledged');
    });
  });

  it.each([
    ['infrastructure', '10001'],
    ['business', '30002'],
  ] as const)('negative %s ack → rejected with the code and an alert', async (kind, code) => {
    await scenario(async (s) => {
      const header = await sentReport(s);
      await s.handle.signal(acknowledgementReceivedSignal, ack(header, kind, code, false));
      await eventually(async () => expect((await s.status()).state).toBe('rejected'));
      await eventually(() => expect(s.world.alerts.map((a) => a.kind)).toEqual(['rejected']));
      expect(s.world.alerts[0]?.detail).toContain(code);
    });
  });

  it('no acks → alerts for the missing infrastructure ack, then the missing business ack', async () => {
    await scenario(async (s) => {
      await sentReport(s);
      await scenarios.env().sleep(4 * HOUR + MINUTE);
      await eventually(() => expect(s.world.alerts.map((a) => a.kind)).toEqual(['missing-infrastructure-ack']));
      await scenarios.env().sleep(44 * HOUR);
      await eventually(() =>
        expect(s.world.alerts.map((a) => a.kind)).toEqual(['missing-infrastructure-ack', 'missing-business-ack']),
      );
      await recordHistoryIfRequested(s.handle, 'timeskipping-missing-acks-alerted');
    });
  });

  it.each(['14', 'EPL-154'])('MESH report %s → undeliverable with the code and an alert', async (code) => {
    await scenario(async (s) => {
      await sentReport(s);
      await s.handle.signal(meshReportReceivedSignal, { meshMessageId: 'MESH-1', statusCode: code, receivedAt: new Date().toISOString() });
      await eventually(async () => expect((await s.status()).state).toBe('undeliverable'));
      await eventually(() => expect(s.world.alerts.map((a) => [a.kind, a.detail.includes(code)])).toEqual([['undeliverable', true]]));
    });
  });

  it('a duplicate-message answer (20007) to a resend does not undo an acknowledged report', async () => {
    await scenario(async (s) => {
      const header = await sentReport(s);
      await s.handle.signal(acknowledgementReceivedSignal, ack(header, 'infrastructure', '20013', true));
      await s.handle.signal(acknowledgementReceivedSignal, ack(header, 'business', '30001', true));
      await s.handle.signal(acknowledgementReceivedSignal, ack(header, 'infrastructure', '20007', false));
      await eventually(async () => expect((await s.status()).codesReceived.map((c) => c.code)).toEqual(['20013', '30001', '20007']));
      expect((await s.status()).state).toBe('acknowledged');
      expect(s.world.alerts).toEqual([]);
    });
  });

  it('ignores a duplicate ack delivery', async () => {
    await scenario(async (s) => {
      const header = await sentReport(s);
      await s.handle.signal(acknowledgementReceivedSignal, ack(header, 'business', '30002', false));
      await s.handle.signal(acknowledgementReceivedSignal, ack(header, 'business', '30002', false));
      await eventually(async () => expect((await s.status()).codesReceived).toHaveLength(1));
      expect(s.world.alerts).toHaveLength(1);
    });
  });
});

describe('failures and operators', () => {
  it('a permanent send failure parks the encounter in needs-attention; an operator resend retries with the same ids', async () => {
    await scenario(
      async (s) => {
        await s.save(1);
        await scenarios.env().sleep(3 * HOUR + MINUTE);
        await eventually(async () => expect((await s.status()).state).toBe('needs-attention'));
        expect(s.world.alerts.map((a) => a.kind)).toEqual(['send-failed']);
        await s.handle.signal(resendNowSignal, { requestedBy: 'operator-1' });
        await eventually(async () => expect((await s.status()).state).toBe('awaiting-acknowledgement'));
        expect(s.world.sends).toHaveLength(2);
        expect(s.world.sends[1]?.firstBuiltAt).toBe(s.world.sends[0]?.firstBuiltAt);
        expect(s.world.sends[1]?.version).toBe(1);
      await recordHistoryIfRequested(s.handle, 'timeskipping-needs-attention-operator-resend');
      },
      (world) => (world.sendBehaviours = ['permanent-failure']),
    );
  });

  it('an operator cancel ends a needs-attention encounter without sending', async () => {
    await scenario(
      async (s) => {
        await s.save(1);
        await scenarios.env().sleep(3 * HOUR + MINUTE);
        await eventually(async () => expect((await s.status()).state).toBe('needs-attention'));
        await s.handle.signal(cancelReportingSignal, { requestedBy: 'operator-1', reason: 'patient deducted' });
        await eventually(async () => expect((await s.status()).state).toBe('cancelled'));
        expect(s.world.sends).toHaveLength(1);
      },
      (world) => (world.sendBehaviours = ['permanent-failure']),
    );
  });

  it('an operator resend during the quiet period sends at once', async () => {
    await scenario(async (s) => {
      await s.save(1);
      await eventually(async () => expect((await s.status()).state).toBe('waiting-quiet-period'));
      await s.handle.signal(resendNowSignal, { requestedBy: 'operator-1' });
      await eventually(() => expect(s.world.sends).toHaveLength(1));
    });
  });

  it('an unknown-outcome send that MESH tracking knows is not resent', async () => {
    await scenario(
      async (s) => {
        await s.save(1);
        await scenarios.env().sleep(3 * HOUR + 5 * MINUTE);
        await eventually(async () => expect((await s.status()).state).toBe('awaiting-acknowledgement'));
        expect(s.world.sends).toHaveLength(1);
      },
      (world) => {
        world.sendBehaviours = ['unknown-outcome'];
        world.reconciliation = { status: 'accepted', meshMessageId: 'MESH-RECONCILED' };
      },
    );
  });

  it('an unknown-outcome send that MESH never received is resent with the same ids after reconciliation', async () => {
    await scenario(
      async (s) => {
        await s.save(1);
        await scenarios.env().sleep(3 * HOUR + 5 * MINUTE);
        await eventually(async () => expect((await s.status()).state).toBe('awaiting-acknowledgement'));
        expect(s.world.sends).toHaveLength(2);
        expect(s.world.sends[1]?.firstBuiltAt).toBe(s.world.sends[0]?.firstBuiltAt);
        expect(s.world.sends[1]!.at - s.world.sends[0]!.at).toBeGreaterThanOrEqual(MINUTE);
      await recordHistoryIfRequested(s.handle, 'timeskipping-unknown-outcome-reconciled-resend');
      },
      (world) => (world.sendBehaviours = ['unknown-outcome']),
    );
  });
});
