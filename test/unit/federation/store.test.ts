/** Hot reload: an edited settings file is picked up without a restart; an invalid edit keeps the last good settings. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { practiceSettings } from '../../../integrations/federation/settings';
import { ValidationError } from '../../../domain/validation-error';
import { openFederationSettings, type SettingsLogger } from '../../../integrations/federation/store';

const settingsWith = (quietPeriod: string) => `
version: 1
federations:
  exampleton:
    name: Exampleton Federation
    practices:
      Y90001: { name: Riverside Medical Centre, meshMailbox: X26ABC1, quietPeriod: ${quietPeriod} }
      Y90002: { name: Hillside Surgery, meshMailbox: X26ABC2 }
`;

function recordingLogger() {
  const entries: { level: 'info' | 'warn'; details: Record<string, any>; message: string }[] = [];
  const logger: SettingsLogger = {
    info: (details, message) => entries.push({ level: 'info', details, message }),
    warn: (details, message) => entries.push({ level: 'warn', details, message }),
  };
  return { logger, entries };
}

let dir: string;
let file: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fedreport-federation-'));
  file = path.join(dir, 'federation.yaml');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const quietPeriodOf = async (store: {
  current(): Promise<{ practices: Record<string, { quietPeriodMs: number }> }>;
}) => (await store.current()).practices.Y90001?.quietPeriodMs;

describe('openFederationSettings', () => {
  it('fails at start-up with the key and the reason', async () => {
    fs.writeFileSync(file, settingsWith('soon'));
    const error: unknown = await openFederationSettings(file, recordingLogger()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues).toEqual([
      {
        field: 'federations.exampleton.practices.Y90001.quietPeriod',
        reason: 'must be a duration such as 3h, 90m, 1h30m or 45s',
      },
    ]);
  });

  it('fails at start-up when the file is missing', async () => {
    await expect(openFederationSettings(file, recordingLogger())).rejects.toMatchObject({
      issues: [{ field: '(file)', reason: 'cannot be read (ENOENT)' }],
    });
  });

  it('picks up an edit without a restart, including one of the same size within the same mtime tick', async () => {
    fs.writeFileSync(file, settingsWith('3h'));
    const { logger, entries } = recordingLogger();
    const store = await openFederationSettings(file, { logger });
    expect(await quietPeriodOf(store)).toBe(10_800_000);
    fs.writeFileSync(file, settingsWith('2h'));
    expect(await quietPeriodOf(store)).toBe(7_200_000);
    expect(entries).toEqual([{ level: 'info', details: { file }, message: 'federation settings reloaded' }]);
  });

  it('keeps the last good settings when an edit is invalid, logs the key once, and recovers when fixed', async () => {
    fs.writeFileSync(file, settingsWith('3h'));
    const { logger, entries } = recordingLogger();
    const store = await openFederationSettings(file, { logger });
    fs.writeFileSync(file, settingsWith('3 hours'));
    expect(await quietPeriodOf(store)).toBe(10_800_000);
    expect(await quietPeriodOf(store)).toBe(10_800_000);
    const warnings = entries.filter((e) => e.level === 'warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.details.issues).toEqual([
      {
        field: 'federations.exampleton.practices.Y90001.quietPeriod',
        reason: 'must be a duration such as 3h, 90m, 1h30m or 45s',
      },
    ]);
    fs.writeFileSync(file, settingsWith('90m'));
    expect(await quietPeriodOf(store)).toBe(5_400_000);
  });

  it('keeps the last good settings while the file is gone (an editor replacing it)', async () => {
    fs.writeFileSync(file, settingsWith('3h'));
    const { logger, entries } = recordingLogger();
    const store = await openFederationSettings(file, { logger });
    fs.rmSync(file);
    expect(await quietPeriodOf(store)).toBe(10_800_000);
    expect(entries.at(-1)).toMatchObject({
      level: 'warn',
      details: { issues: [{ field: '(file)', reason: 'cannot be read (ENOENT)' }] },
    });
    fs.writeFileSync(`${file}.tmp`, settingsWith('1h'));
    fs.renameSync(`${file}.tmp`, file);
    expect(await quietPeriodOf(store)).toBe(3_600_000);
  });
});

describe('practiceSettings from the store', () => {
  it('gives the hosting practice its settings with its federation, or null for a practice in none', async () => {
    fs.writeFileSync(file, settingsWith('3h'));
    const all = await (await openFederationSettings(file, recordingLogger())).current();
    expect(practiceSettings(all, 'Y90002')).toMatchObject({
      meshMailbox: 'X26ABC2',
      quietPeriodMs: 10_800_000,
      federation: { name: 'Exampleton Federation', memberOdsCodes: ['Y90001', 'Y90002'] },
    });
    expect(practiceSettings(all, 'Y91001')).toBeNull();
  });
});
