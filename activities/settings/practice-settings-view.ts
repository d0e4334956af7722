/**
 * The hosting practice's settings as the encounter workflow uses them: the practice's own quiet period, wait cap
 * and mailbox from the federation file, plus the service-wide acknowledgement windows and retention.
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { EncounterActivities, PracticeSettingsView } from '../../workflows/encounter-activities';
import { practiceSettings } from '../../integrations/federation/settings';
import type { FederationSettingsStore } from '../../integrations/federation/store';

export interface ServiceTimings {
  infrastructureAckWindowMs: number;
  businessAckWindowMs: number;
  idleRetentionMs: number;
}

export function createPracticeSettingsActivities(
  store: FederationSettingsStore,
  timings: ServiceTimings,
): Pick<EncounterActivities, 'loadPracticeSettings'> {
  return {
    async loadPracticeSettings(hostingPracticeOds): Promise<PracticeSettingsView> {
      const practice = practiceSettings(await store.current(), hostingPracticeOds);
      if (!practice) {
        throw ApplicationFailure.nonRetryable(
          `hosting practice ${hostingPracticeOds} is not in the federation settings file`,
          'PracticeNotConfigured',
        );
      }
      return {
        quietPeriodMs: practice.quietPeriodMs,
        maxTotalWaitMs: practice.maxTotalWaitMs,
        senderMailbox: practice.meshMailbox,
        ...timings,
      };
    },
  };
}
