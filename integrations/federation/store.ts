/**
 * The federation settings in force, following the file without a restart: each read re-reads the (small) file and
 * re-parses it only when its text changed. An invalid edit is logged with its keys and reasons and the last good
 * settings stay in force, so a typo cannot stop reports. Comparing the text rather than the mtime catches two edits
 * within one mtime tick, and unlike fs.watch it behaves the same on every file system (bind mounts, network shares,
 * editors that replace the file).
 */
import pino from 'pino';
import { ValidationError } from '../../domain/validation-error';
import { parseFederationSettings, readSettingsFile } from './loader';
import type { FederationSettings } from './settings';

/** The two pino methods the store uses; tests pass a recorder. */
export interface SettingsLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
}

export interface FederationSettingsStore {
  readonly file: string;
  /** The settings in force, reloaded first if the file changed since the last read. */
  current(): Promise<FederationSettings>;
}

/** Loads the file now (a ValidationError here should stop start-up) and returns a store that follows later edits. */
export async function openFederationSettings(
  file: string,
  options: { logger?: SettingsLogger } = {},
): Promise<FederationSettingsStore> {
  const logger = options.logger ?? pino({ name: 'federation-settings' });
  let loadedText = await readSettingsFile(file);
  let settings = parseFederationSettings(loadedText, file);
  // The last version that failed (its text, or the read error), so each bad version is logged once.
  let rejected: string | undefined;

  /** Keeps the settings in force after a failed reload; logs each failing version once. */
  function keepLastGood(error: unknown, version?: string): FederationSettings {
    if (!(error instanceof ValidationError)) throw error;
    const failed = version ?? error.message;
    if (failed !== rejected) {
      rejected = failed;
      logger.warn(
        { file, issues: error.issues },
        'federation settings file changed but is invalid; keeping the last good settings',
      );
    }
    return settings;
  }

  return {
    file,
    async current() {
      let text: string;
      try {
        text = await readSettingsFile(file);
      } catch (error) {
        return keepLastGood(error);
      }
      if (text === loadedText || text === rejected) return settings;
      try {
        settings = parseFederationSettings(text, file);
      } catch (error) {
        return keepLastGood(error, text);
      }
      loadedText = text;
      rejected = undefined;
      logger.info({ file }, 'federation settings reloaded');
      return settings;
    },
  };
}
