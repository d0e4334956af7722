import fs from 'node:fs';
import path from 'node:path';
import { parseConsultationSnapshot } from '../../../domain/snapshot';
import {
  SNAPSHOT_SCHEMA_VERSION,
  SNAPSHOT_VERSIONS,
  SnapshotVersionTooNewError,
  createSnapshotUpgrader,
  storedSnapshotVersion,
  upgradeSnapshot,
  type StoredSnapshot,
} from '../../../domain/snapshot-versions';
import { ValidationError } from '../../../domain/validation-error';

const exampleJson = (): Record<string, any> =>
  JSON.parse(
    fs.readFileSync(
      path.resolve(__dirname, '../../../examples/consultation-temporary-resident.json'),
      'utf8',
    ),
  );

/** A snapshot as a history recorded before schemaVersion existed: parsed output without the field. */
function storedBeforeVersions(): StoredSnapshot {
  const { schemaVersion: _dropped, ...stored } = parseConsultationSnapshot(exampleJson());
  return JSON.parse(JSON.stringify(stored)) as StoredSnapshot;
}

/** A made-up version 2: the clinician gains a required `grade`, the patient's `phones` is renamed `telecom`. */
const toVersion2 = (snapshot: StoredSnapshot): StoredSnapshot => {
  const { phones, ...patient } = snapshot.patient as Record<string, unknown>;
  return {
    ...snapshot,
    clinician: { ...(snapshot.clinician as object), grade: 'not recorded' },
    patient: { ...patient, telecom: phones },
  };
};

describe('the snapshot contract version', () => {
  it('is 1, with nothing to upgrade yet, and every upgrade a later version needs is present', () => {
    expect(SNAPSHOT_SCHEMA_VERSION).toBe(1);
    expect(SNAPSHOT_VERSIONS.current).toBe(SNAPSHOT_SCHEMA_VERSION);
    expect(() => createSnapshotUpgrader(SNAPSHOT_VERSIONS)).not.toThrow();
  });

  it('reads an absent schemaVersion as 1, for the clients of today', () => {
    const input = exampleJson();
    delete input.schemaVersion;
    expect(parseConsultationSnapshot(input).schemaVersion).toBe(1);
  });

  it('refuses a submission of a version newer than it knows, naming the field', () => {
    const input = { ...exampleJson(), schemaVersion: 2 };
    expect(() => parseConsultationSnapshot(input)).toThrow(ValidationError);
    try {
      parseConsultationSnapshot(input);
    } catch (error) {
      expect((error as ValidationError).issues).toEqual([
        { field: 'schemaVersion', reason: 'is newer than this service knows (it implements 1 to 1)' },
      ]);
    }
    for (const schemaVersion of ['one', null, 0, 1.5]) {
      expect(() => parseConsultationSnapshot({ ...exampleJson(), schemaVersion })).toThrow(
        'schemaVersion: must be 1',
      );
    }
  });
});

describe('upgradeSnapshot', () => {
  it('brings a stored snapshot without a version to the current one, changing nothing else', () => {
    const stored = storedBeforeVersions();
    expect(upgradeSnapshot(stored)).toEqual({ ...stored, schemaVersion: 1 });
  });

  it('returns a current snapshot as it is', () => {
    const current = parseConsultationSnapshot(exampleJson());
    expect(upgradeSnapshot(current)).toBe(current);
  });

  it('says clearly when a stored snapshot is newer than this worker knows (retryable: a newer worker can)', () => {
    const stored = { ...storedBeforeVersions(), schemaVersion: 3 };
    expect(() => upgradeSnapshot(stored)).toThrow(SnapshotVersionTooNewError);
    expect(() => upgradeSnapshot(stored)).toThrow(/contract version 3, newer than this code knows \(1\)/);
    expect(() => upgradeSnapshot({ ...stored, schemaVersion: 0 })).toThrow(/no valid schemaVersion/);
  });
});

describe('createSnapshotUpgrader: a worker of a later release', () => {
  const version2 = createSnapshotUpgrader<Record<string, any>>({ current: 2, upgrades: { 1: toVersion2 } });

  it('upgrades a version-1 snapshot from history step by step, without validating it again', () => {
    const upgraded = version2(storedBeforeVersions());
    expect(upgraded.schemaVersion).toBe(2);
    expect(upgraded.clinician.grade).toBe('not recorded');
    expect(upgraded.patient.telecom).toEqual((storedBeforeVersions().patient as Record<string, any>).phones);
    expect(upgraded.patient).not.toHaveProperty('phones');
  });

  it('chains upgrades n → n+1 → n+2 and leaves a current snapshot alone', () => {
    const version3 = createSnapshotUpgrader<StoredSnapshot>({
      current: 3,
      upgrades: { 1: toVersion2, 2: (s) => ({ ...s, note: 'v3' }) },
    });
    expect(version3(storedBeforeVersions())).toMatchObject({ schemaVersion: 3, note: 'v3' });
    const current = { schemaVersion: 3, note: 'mine' };
    expect(version3(current)).toBe(current);
  });

  it('refuses to be built without every upgrade up to its version', () => {
    expect(() => createSnapshotUpgrader({ current: 3, upgrades: { 1: toVersion2 } })).toThrow(
      'snapshot contract: no upgrade from version 2 to 3',
    );
  });
});

describe('storedSnapshotVersion', () => {
  it.each([
    ['absent: written before versions existed', {}, 1],
    ['a version number', { schemaVersion: 2 }, 2],
    ['zero', { schemaVersion: 0 }, undefined],
    ['not a number', { schemaVersion: 'two' }, undefined],
    ['a fraction', { schemaVersion: 1.5 }, undefined],
  ] as const)('%s', (_name, stored, expected) => {
    expect(storedSnapshotVersion(stored)).toBe(expected);
  });
});
