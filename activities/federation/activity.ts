/** Federation settings for workflows: an activity, because reading the file is I/O that replay must not repeat. */
import type { FederationSettingsStore } from './store';
import { practiceSettings, type PracticeSettings } from './settings';

export function createFederationActivities(store: FederationSettingsStore) {
  return {
    /** The hosting practice's effective settings, or null when it is in no federation. */
    getPracticeSettings: async (odsCode: string): Promise<PracticeSettings | null> =>
      practiceSettings(await store.current(), odsCode),
  };
}
