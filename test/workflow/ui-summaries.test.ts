/**
 * The summaries the Temporal UI shows for an encounter's timers and activities (workflows/ui-summaries.ts): set on
 * the quiet-period timer, the send and the acknowledgement deadlines, and free of patient data.
 */
import { decodeUserMetadata } from '@temporalio/common/lib/internal-non-workflow';
import type { temporal } from '@temporalio/proto';
import { eventually, useEncounterScenarios } from './support/encounter-scenarios';
import { snapshotAt } from './support/snapshots';

const HOUR = 3_600_000;
const scenarios = useEncounterScenarios('ui-summaries-test');

/** Every event's user-metadata summary, decoded as the UI's codec server would. */
async function summariesOf(events: temporal.api.history.v1.IHistoryEvent[]): Promise<string[]> {
  const converter = scenarios.env().client.options.loadedDataConverter;
  const decoded = await Promise.all(events.map((event) => decodeUserMetadata(converter, event.userMetadata)));
  return decoded.flatMap((metadata) =>
    metadata.staticSummary === undefined ? [] : [metadata.staticSummary],
  );
}

it('names the quiet period, the eligibility check, the send and the ack deadlines, with no patient data', async () => {
  await scenarios.scenario(async (s) => {
    await s.save(1, await s.now());
    await scenarios.env().sleep(3 * HOUR + 60_000);
    await eventually(() => expect(s.world.sends).toHaveLength(1));
    await eventually(async () => {
      const summaries = await summariesOf((await s.handle.fetchHistory()).events ?? []);
      expect(summaries).toEqual(
        expect.arrayContaining([
          'quiet period',
          'eligibility: federation rules and PDS',
          expect.stringMatching(/^send report v1 to Y9\d{4} over MESH$/),
          'infrastructure ack deadline v1',
        ]),
      );
    });
    const text = JSON.stringify(await summariesOf((await s.handle.fetchHistory()).events ?? []));
    const { patient } = snapshotAt(0, 1, { encounterId: s.encounterId });
    for (const phi of [patient.nhsNumber, patient.name.family, patient.birthDate])
      expect(text).not.toContain(phi);
  });
});
