/**
 * A made-up version 2 of the snapshot contract, for tests of a rolling upgrade: the consultation gains a required
 * `endedAt`. Version 1 snapshots did not say when it ended; the last save is the latest it can have ended, so the
 * upgrade takes `savedAt`.
 */
import type { ConsultationSnapshot } from '../../domain/snapshot';
import {
  createSnapshotUpgrader,
  type SnapshotUpgrader,
  type StoredSnapshot,
} from '../../domain/snapshot-versions';

function toVersion2(snapshot: StoredSnapshot): StoredSnapshot {
  const consultation = snapshot.consultation as Record<string, unknown>;
  return { ...snapshot, consultation: { ...consultation, endedAt: snapshot.savedAt } };
}

/** The upgrader of a worker whose release implements contract version 2. */
export function contractVersion2Upgrader<T = ConsultationSnapshot>(): SnapshotUpgrader<T> {
  return createSnapshotUpgrader<T>({ current: 2, upgrades: { 1: toVersion2 } });
}
