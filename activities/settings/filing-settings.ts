/**
 * A receiving practice's filing settings from the federation file (`receiving`: acknowledge on receipt or when filed,
 * the unfiled-document alert), for the received-message activities' `filingSettingsOf`. The settings are read at
 * each call, so a reloaded file applies to the next document.
 */
import type { FilingSettings } from '../../domain/document-filing';
import { practiceSettings } from '../../integrations/federation/settings';
import type { FederationSettingsStore } from '../../integrations/federation/store';

export function filingSettingsFrom(
  store: FederationSettingsStore,
): (practiceOds: string) => Promise<FilingSettings> {
  return async (practiceOds) => {
    const practice = practiceSettings(await store.current(), practiceOds);
    // Retried (not a permanent failure): the document stays held until the practice is configured again.
    if (!practice)
      throw new Error(`receiving practice ${practiceOds} is not in the federation settings file`);
    return practice.receiving;
  };
}
