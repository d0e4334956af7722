/**
 * The federation settings in force, following the file without a restart: each read checks the file's stamp
 * (mtime, size, inode) and reloads when it changed. An invalid edit is logged with its keys and reasons and the last
 * good settings stay in force, so a typo cannot stop reports. A stat per read is cheaper than it sounds and, unlike
 * fs.watch, behaves the same on every file system (bind mounts, network shares, editors that replace the file).
 */
import fs from 'node:fs/promises';
import pino from 'pino';
import { ConfigError } from './config-error';
import { loadFederationSettings } from './loader';
import type { FederationSettings } from './settings';

/** The two pino methods the store uses; tests pass a recorder. */
export interface SettingsLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
}

export interface FederationSettingsStore {
  readonly file: string;
  /** The settings in force, re-read first if the file changed since the last read. */
  current(): Promise<FederationSettings>;
}

/** Loads the file now (a ConfigError here should stop start-up) and returns a store that follows later edits. */
export async function openFederationSettings(
  file: string,
  options: { logger?: SettingsLogger } = {},
): Promise<FederationSettingsStore> {
  const logger = options.logger ?? pino({ name: 'federation-settings' });
  // Stamp before reading: an edit that lands in between is then seen as a change on the next read.
  let loadedStamp = await stampOf(file);
  let settings = await loadFederationSettings(file);
  let rejectedStamp: string | undefined;

  return {
    file,
    async current() {
      const stamp = await stampOf(file);
      if (stamp === loadedStamp || stamp === rejectedStamp) return settings;
      try {
        settings = await loadFederationSettings(file);
        loadedStamp = stamp;
        rejectedStamp = undefined;
        logger.info({ file }, 'federation settings reloaded');
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        rejectedStamp = stamp; // log each bad version once, not on every read
        logger.warn(
          { file, issues: error.issues },
          'federation settings file changed but is invalid; keeping the last good settings',
        );
      }
      return settings;
    },
  };
}

/** Identifies one version of the file; a missing file has its own stamp so its loss is reported once. */
async function stampOf(file: string): Promise<string> {
  try {
    const stat = await fs.stat(file, { bigint: true });
    return `${stat.ino}:${stat.size}:${stat.mtimeNs}`;
  } catch {
    return 'unreadable';
  }
}
