import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../tooling/paths';
import { freePort, tcpOpen } from '../../tooling/processes';
import { foundInFiles } from '../support/phi-scan';

const PORT_VARIABLES = [
  'FEDREPORT_TEMPORAL_PORT',
  'FEDREPORT_TEMPORAL_UI_PORT',
  'FEDREPORT_MESH_PORT',
  'FEDREPORT_PDS_PORT',
  'FEDREPORT_API_PORT',
  'FEDREPORT_CODEC_SERVER_PORT',
  'FEDREPORT_LOCAL_DATABASE_PORT',
];

/** A patient of the user's own, registered at Hillside Surgery (Y90002): known to the PDS double only by file. */
const ADA = {
  nhsNumber: '9990001235',
  name: { title: 'Ms', given: ['Ada'], family: 'Lovelace-Byron' },
  birthDate: '1985-12-10',
  gender: 'female',
  registeredPractice: 'Y90002',
};

/** The PDS double's Eleanor Whitfield (the temporary-resident example's patient) as her practice still knows her. */
const MAIDEN_NAME = 'Hartley';

/**
 * The user's own data: the patients file, a consultation for that patient, a consultation whose patient's surname
 * differs from the spine's (her maiden name), and an endpoint directory in which Orchard Health Centre (Y90003) has
 * no mailbox, so MESH cannot route its patients' reports (EPL-151).
 */
function writeUserFiles(dir: string): Record<string, string> {
  const example = JSON.parse(
    fs.readFileSync(path.join(PROJECT_ROOT, 'examples', 'consultation-temporary-resident.json'), 'utf8'),
  );
  const consultation = {
    ...example,
    patient: {
      ...example.patient,
      nhsNumber: ADA.nhsNumber,
      name: { given: ADA.name.given, family: ADA.name.family },
      birthDate: ADA.birthDate,
    },
  };
  const maidenName = {
    ...example,
    patient: { ...example.patient, name: { ...example.patient.name, family: MAIDEN_NAME } },
  };
  const mailboxes = { Y90001: 'X26ABC1', Y90002: 'X26ABC2', Y91001: 'X26NBK1' };
  const directory = {
    endpoints: Object.entries(mailboxes).map(([odsCode, mailboxId]) => ({
      odsCode,
      mailboxId,
      workflowIds: ['GPFED_CONSULT_REPORT', 'GPFED_CONSULT_REPORT_ACK'],
    })),
  };
  const files = {
    patients: { patients: [ADA] },
    'consultation-ada': consultation,
    'consultation-maiden-name': maidenName,
    directory,
  };
  return Object.fromEntries(
    Object.entries(files).map(([name, content]) => {
      const file = path.join(dir, `${name}.json`);
      fs.writeFileSync(file, JSON.stringify(content));
      return [name, file];
    }),
  );
}

/** `npm run demo [FILE...]` against the stack; returns its output after checking that it succeeded. */
function runDemo(env: NodeJS.ProcessEnv, files: string[] = []): { lastLine: string; output: string } {
  const demo = spawnSync(process.execPath, [require.resolve('tsx/cli'), 'tooling/demo.ts', ...files], {
    cwd: PROJECT_ROOT,
    env: { ...env, FEDREPORT_DEMO_TIMEOUT_MS: '90000' },
    encoding: 'utf8',
    timeout: 120_000,
  });
  expect(demo.stderr).toBe('');
  expect(demo.status).toBe(0);
  return {
    lastLine:
      demo.stdout
        .trim()
        .split('\n')
        .filter((l) => l.startsWith('['))
        .pop() ?? '',
    output: demo.stdout,
  };
}

/**
 * `npm start` then `npm run demo`, the way a newcomer runs them (on free ports so a developer's own stack is left
 * alone), with a patient of their own added by file: the stack comes up, demo consultations reach acknowledged
 * through the MESH router and the registered practices' mailboxes, where fedreport's own receiver files them and
 * answers (also one whose local surname differs from the spine's: the address uses the spine's), one the directory
 * cannot route ends undeliverable with its MESH report, and SIGINT leaves nothing behind.
 */
describe('npm start (local stack) and npm run demo', () => {
  it('serves the UI and the hook, routes demo consultations to acknowledged or a MESH report, and stops cleanly', async () => {
    const ports = Object.fromEntries(
      await Promise.all(PORT_VARIABLES.map(async (v) => [v, String(await freePort())] as const)),
    );
    const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fedreport-stack-'));
    const user = writeUserFiles(stateDir);
    const { FEDREPORT_DATABASE_URL: _realDatabase, ...inherited } = process.env;
    const env = {
      ...inherited, // without a database URL: the stack's own PGlite archive, which the scan below reads
      ...ports,
      FEDREPORT_STATE_DIR: stateDir,
      FEDREPORT_LOCAL_QUIET_PERIOD: '3s',
      FEDREPORT_PDS_PATIENTS_FILE: user.patients,
      FEDREPORT_MESH_ROUTER_DIRECTORY_FILE: user.directory,
    };
    const child = spawn(process.execPath, [require.resolve('tsx/cli'), 'tooling/local-stack.ts'], {
      cwd: PROJECT_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    let adaEncounter: string | undefined;
    try {
      const started = Date.now();
      while (
        !output.includes('Press Ctrl-C to stop.') &&
        Date.now() - started < 90_000 &&
        child.exitCode === null
      ) {
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(output).toContain(`Temporal Web UI     http://127.0.0.1:${ports.FEDREPORT_TEMPORAL_UI_PORT}`);
      expect(output).toContain(`Hook API            http://127.0.0.1:${ports.FEDREPORT_API_PORT}`);
      expect((await fetch(`http://127.0.0.1:${ports.FEDREPORT_TEMPORAL_UI_PORT}/`)).status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${ports.FEDREPORT_API_PORT}/health`)).status).toBe(200);

      const examples = runDemo(env);
      expect(examples.lastLine).toMatch(/temporary-resident: acknowledged v1/);
      expect(examples.lastLine).toMatch(/regular-registration: not-required/);
      expect(examples.lastLine).toMatch(/two-page: undeliverable v1/);
      expect(examples.output).toMatch(/two-page: MESH report EPL-151, routing failure/);

      const own = runDemo(env, [user['consultation-ada']!, user['consultation-maiden-name']!]);
      adaEncounter = /consultation-ada\.json → \S+\/workflows\/[a-z-]*?([0-9a-f-]{36})\n/.exec(own.output)?.[1];
      expect(own.lastLine).toMatch(/ada: acknowledged v1/);
      // Addressed with the spine's surname, which MESH (here: the router) verifies; the report keeps the record's.
      expect(own.lastLine).toMatch(/maiden-name: acknowledged v1/);
      expect(own.output).toContain(
        "maiden-name: the record's family name differs from the spine's: version 1 was addressed with the spine's",
      );
      // Received from the registered practice's mailbox by fedreport's own receiver, filed on receipt and answered.
      const receivedAtHillside =
        /: Y90001 → MESH → Y90002 \(mailbox X26ABC2\): filed, answered 20013 then 30001 → \S+\/workflows\/received-/;
      expect(examples.output).toMatch(new RegExp(`temporary-resident${receivedAtHillside.source}`));
      expect(own.output).toMatch(new RegExp(`ada${receivedAtHillside.source}`));
      expect(own.output).toMatch(new RegExp(`maiden-name${receivedAtHillside.source}`));
      // Nothing reached Orchard Health Centre's receiver: MESH could not route to it.
      expect(examples.output).not.toContain('→ Y90003 (mailbox X26ABC3)');
    } finally {
      child.kill('SIGINT');
      expect(await exited).toBe(0);
    }
    for (const port of Object.values(ports)) expect(await tcpOpen(Number(port))).toBe(false);
    // The archive's PGlite files after real sends: the encounter GUID (a plain column) is there, the patient is not.
    // (Her three-letter given name is left out: three bytes turn up by chance in megabytes of catalog files.)
    const phi = [ADA.nhsNumber, ADA.name.family, ADA.birthDate];
    expect(adaEncounter).toBeDefined();
    expect(foundInFiles(path.join(stateDir, 'archive-db'), [adaEncounter!, ...phi])).toEqual([adaEncounter]);
    fs.rmSync(stateDir, { recursive: true, force: true });
  }, 240_000);
});
