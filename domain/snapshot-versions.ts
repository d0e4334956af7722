/**
 * Versions of the consultation snapshot contract. A snapshot is validated once, when it arrives, and then lives in
 * workflow histories for weeks; a release that changes the contract must not re-validate those against its own schema
 * (a new required field would park every in-flight encounter). Instead every contract change ships with an upgrade
 * from its previous version, and code that reads a stored snapshot upgrades it to the version it implements.
 *
 * Changing the contract: raise SNAPSHOT_SCHEMA_VERSION, change domain/snapshot.ts, and add `upgrades[n]` bringing a
 * snapshot valid at version n to one valid at n + 1 (pure and total: it receives whatever version n accepted).
 * Pure, so workflow code may use it too.
 */
import type { ConsultationSnapshot } from './snapshot';
import { ValidationError } from './validation-error';

/** The contract version this code implements. Snapshots without `schemaVersion` are version 1 (clients of 2026). */
export const SNAPSHOT_SCHEMA_VERSION = 1;

/** A snapshot as a workflow history holds it: JSON written under some version of the contract. */
export type StoredSnapshot = Record<string, unknown>;

/** Brings a snapshot valid at version n to one valid at n + 1. `schemaVersion` is set by the upgrader. */
export type SnapshotUpgrade = (snapshot: StoredSnapshot) => StoredSnapshot;

export interface SnapshotVersions {
  /** The version the code using this registry implements. */
  current: number;
  /** `upgrades[n]` brings version n to n + 1, for every n from 1 to current - 1. */
  upgrades: Readonly<Record<number, SnapshotUpgrade>>;
}

/** This release's registry: version 1 is the first, so there is nothing to upgrade yet. */
export const SNAPSHOT_VERSIONS: SnapshotVersions = { current: SNAPSHOT_SCHEMA_VERSION, upgrades: {} };

/**
 * A stored snapshot written by a newer release than the code reading it (a rolling deployment: a new API, an old
 * worker). Not a fault of the snapshot: a worker of the newer release can read it, so callers should retry.
 */
export class SnapshotVersionTooNewError extends Error {
  constructor(
    readonly version: number,
    readonly newestKnown: number,
  ) {
    super(
      `the consultation snapshot is of contract version ${version}, newer than this code knows (${newestKnown}): ` +
        'it needs a worker of the release that introduced that version',
    );
    this.name = 'SnapshotVersionTooNewError';
  }
}

/** The upgrade of any version this registry knows to `T`, its current version. */
export type SnapshotUpgrader<T = ConsultationSnapshot> = (stored: StoredSnapshot) => T;

/**
 * An upgrader over `versions`; throws at creation when an upgrade is missing, so a contract change without its
 * upgrade fails the first test that loads it. Injectable so tests can play a worker of a later release.
 */
export function createSnapshotUpgrader<T = ConsultationSnapshot>(
  versions: SnapshotVersions,
): SnapshotUpgrader<T> {
  const { current, upgrades } = versions;
  for (let version = 1; version < current; version++) {
    if (!upgrades[version])
      throw new Error(`snapshot contract: no upgrade from version ${version} to ${version + 1}`);
  }
  return (stored) => {
    let version = storedSnapshotVersion(stored);
    if (version === undefined) throw new Error('stored consultation snapshot has no valid schemaVersion');
    if (version > current) throw new SnapshotVersionTooNewError(version, current);
    let snapshot = stored;
    for (; version < current; version++) {
      snapshot = { ...(upgrades[version] as SnapshotUpgrade)(snapshot), schemaVersion: version + 1 };
    }
    return (snapshot.schemaVersion === current ? snapshot : { ...snapshot, schemaVersion: current }) as T;
  };
}

/** Brings a snapshot from any workflow history to the contract this release implements (no re-validation). */
export const upgradeSnapshot: SnapshotUpgrader = createSnapshotUpgrader(SNAPSHOT_VERSIONS);

/** The version a snapshot was written under: absent means 1; undefined when it is not a version number at all. */
export function storedSnapshotVersion(snapshot: StoredSnapshot): number | undefined {
  const version = snapshot.schemaVersion === undefined ? 1 : snapshot.schemaVersion;
  return Number.isSafeInteger(version) && (version as number) >= 1 ? (version as number) : undefined;
}

/**
 * A submission brought to the current version before it is validated, so a client still on an older contract keeps
 * working. What is not an object with a version number passes unchanged (the schema then says what is wrong).
 */
export function upgradeSubmittedSnapshot(input: unknown): unknown {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return input;
  const stored = input as StoredSnapshot;
  const version = storedSnapshotVersion(stored);
  if (version === undefined) return input;
  if (version > SNAPSHOT_VERSIONS.current) {
    throw new ValidationError('consultation snapshot', [
      { field: 'schemaVersion', reason: `is newer than this service knows (it implements 1 to ${SNAPSHOT_VERSIONS.current})` },
    ]);
  }
  return upgradeSnapshot(stored);
}
