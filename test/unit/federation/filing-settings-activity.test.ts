/**
 * The receiving activities' `filingSettingsOf` reads each practice's `receiving` settings from the federation file
 * (examples/federation.yaml: Y91001 acknowledges on receipt, the others take the defaults); a practice missing from the
 * file fails the call (retried until the file names it) rather than guessing a mode.
 */
import path from 'node:path';
import { filingSettingsFrom } from '../../../activities/settings/filing-settings';
import { openFederationSettings } from '../../../integrations/federation/store';
import { PROJECT_ROOT } from '../../../tooling/paths';

const HOURS = 3_600_000;

it('gives each practice its own filing settings, and fails for a practice not in the file', async () => {
  const store = await openFederationSettings(path.join(PROJECT_ROOT, 'examples', 'federation.yaml'));
  const filingSettingsOf = filingSettingsFrom(store);
  expect(await filingSettingsOf('Y91001')).toEqual({ mode: 'on-receipt', unfiledAlertAfterMs: 48 * HOURS });
  expect(await filingSettingsOf('Y90002')).toEqual({ mode: 'when-filed', unfiledAlertAfterMs: 24 * HOURS });
  await expect(filingSettingsOf('Y99999')).rejects.toThrow(
    'receiving practice Y99999 is not in the federation settings file',
  );
});
