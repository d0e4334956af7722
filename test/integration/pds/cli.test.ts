/** `fedreport pds lookup` and `fedreport eligibility` against the PDS double, through commander as main.ts runs them. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { registerEligibilityCommands } from '../../../client/cli/eligibility-commands';
import { SANDBOX_PATIENTS, SYNTHETIC_PATIENTS } from '../../../simulators/pds/patients';
import { startPdsDouble, type PdsDouble } from '../../../simulators/pds/server';
import { PROJECT_ROOT } from '../../../tooling/paths';
import { fedreportCliOrThrow } from '../../support/cli';

const EXAMPLES = path.join(PROJECT_ROOT, 'examples');
const FEDERATION = path.join(EXAMPLES, 'federation.yaml');

let double: PdsDouble;
let scratch: string;
const savedEnv = { ...process.env };

beforeAll(async () => {
  double = await startPdsDouble();
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'fedreport-cli-'));
});
afterAll(async () => {
  await double.close();
  fs.rmSync(scratch, { recursive: true, force: true });
});
beforeEach(() => {
  process.env = { ...savedEnv, FEDREPORT_PDS_BASE_URL: double.url };
  delete process.env.FEDREPORT_FEDERATION_FILE;
});
afterAll(() => {
  process.env = savedEnv;
});

async function run(...args: string[]): Promise<{ out: string; err: string }> {
  const { stdout, stderr } = await fedreportCliOrThrow(registerEligibilityCommands, args);
  return { out: stdout, err: stderr };
}

/** An example snapshot with some fields changed, written to a scratch file. */
function snapshotFile(example: string, patch: (s: Record<string, any>) => void): string {
  const snapshot = JSON.parse(fs.readFileSync(path.join(EXAMPLES, example), 'utf8')) as Record<string, any>;
  patch(snapshot);
  const file = path.join(scratch, `${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(file, JSON.stringify(snapshot));
  return file;
}

describe('fedreport pds lookup', () => {
  it('prints what eligibility reads, without the NHS number', async () => {
    const { out } = await run('pds', 'lookup', '999 000 0018');
    expect(JSON.parse(out)).toEqual({
      status: 'found',
      superseded: false,
      securityLabel: 'U',
      registeredPracticeOds: 'Y90002',
      formerPracticeOds: [],
      deceasedAt: null,
      versionId: '2',
    });
    expect(out).not.toContain(SYNTHETIC_PATIENTS.atY90002);
  });

  it('shows the current number of a superseded one (the operator must correct the record)', async () => {
    const { out } = await run('pds', 'lookup', SYNTHETIC_PATIENTS.superseded);
    expect(JSON.parse(out)).toMatchObject({
      superseded: true,
      currentNhsNumber: SYNTHETIC_PATIENTS.supersededBy,
    });
  });

  it('reports not found as an outcome', async () => {
    expect(JSON.parse((await run('pds', 'lookup', SANDBOX_PATIENTS.notFound)).out)).toEqual({
      status: 'not-found',
    });
  });

  it('fails with the variable and reason when PDS is not configured', async () => {
    delete process.env.FEDREPORT_PDS_BASE_URL;
    await expect(run('pds', 'lookup', SYNTHETIC_PATIENTS.atY90002)).rejects.toMatchObject({
      issues: [{ field: 'FEDREPORT_PDS_BASE_URL', reason: 'is required' }],
    });
  });
});

describe('fedreport eligibility', () => {
  it('temporary resident registered at Y90002 (same federation): report required', async () => {
    const { out } = await run(
      'eligibility',
      '--snapshot',
      path.join(EXAMPLES, 'consultation-temporary-resident.json'),
      '--federation',
      FEDERATION,
    );
    expect(JSON.parse(out)).toMatchObject({
      outcome: 'required',
      reason: 'registered-practice-in-federation',
      registeredPracticeOds: 'Y90002',
      federationName: 'Exampleton Federation',
      nhsNumberSuperseded: false,
      patientDeceased: false,
    });
    expect(double.received.at(-1)!.headers['nhsd-end-user-organisation-ods']).toBe('Y90001');
  });

  it('regular registration: no report, and PDS is not even asked (nor configured)', async () => {
    delete process.env.FEDREPORT_PDS_BASE_URL;
    process.env.FEDREPORT_FEDERATION_FILE = FEDERATION;
    const before = double.received.length;
    const { out } = await run(
      'eligibility',
      '--snapshot',
      path.join(EXAMPLES, 'consultation-regular-registration.json'),
    );
    expect(JSON.parse(out)).toMatchObject({ outcome: 'not-required', reason: 'regular-registration' });
    expect(double.received.length).toBe(before);
  });

  it('patient registered outside the federation: no report', async () => {
    const file = snapshotFile(
      'consultation-temporary-resident.json',
      (s) => (s.patient.nhsNumber = SYNTHETIC_PATIENTS.outsideFederation),
    );
    expect(
      JSON.parse((await run('eligibility', '--snapshot', file, '--federation', FEDERATION)).out),
    ).toMatchObject({
      outcome: 'not-required',
      reason: 'outside-federation',
      registeredPracticeOds: 'Y91001',
    });
  });

  it('restricted patient: blocked by the example settings, with an operator explanation', async () => {
    const file = snapshotFile(
      'consultation-temporary-resident.json',
      (s) => (s.patient.nhsNumber = SYNTHETIC_PATIENTS.restricted),
    );
    const decision = JSON.parse(
      (await run('eligibility', '--snapshot', file, '--federation', FEDERATION)).out,
    );
    expect(decision).toMatchObject({ outcome: 'blocked', reason: 'restricted-record', securityLabel: 'R' });
    expect(decision.explanation).toMatch(/^blocked: /);
  });

  it('without a settings file it says how to give one', async () => {
    await expect(
      run('eligibility', '--snapshot', path.join(EXAMPLES, 'consultation-temporary-resident.json')),
    ).rejects.toThrow(/--federation FILE or set FEDREPORT_FEDERATION_FILE/);
  });

  it('an invalid snapshot names the field', async () => {
    const file = snapshotFile(
      'consultation-temporary-resident.json',
      (s) => (s.patient.registrationType = 'X'),
    );
    await expect(run('eligibility', '--snapshot', file, '--federation', FEDERATION)).rejects.toMatchObject({
      issues: [{ field: 'patient.registrationType', reason: expect.stringMatching(/must be one of/) }],
    });
  });
});
