/**
 * `fedreport encounters submit`: bulk submission straight to Temporal and through the API; a rejected file is named
 * with its field and reason while the others are accepted, and the command fails so scripts notice.
 */
import { BulkOperationError } from '../../../client/cli/encounter-commands';
import { encounterWorkflowId } from '../../../workflows/encounter-identity';
import { API_TOKEN, EXAMPLE_PHI, startTestApi, type TestApi } from '../api/support';
import { startCliHarness, type CliHarness } from './support';

let harness: CliHarness;
let api: TestApi;

beforeAll(async () => {
  harness = await startCliHarness();
  api = await startTestApi({ client: harness.client });
});
afterAll(async () => {
  await api?.close();
  await harness?.close();
});

it('submits many files, names the field and reason of the invalid one, accepts the others, and fails', async () => {
  const practice = harness.practice('slow');
  const first = harness.snapshotFile(practice);
  const second = harness.snapshotFile(practice);
  const invalid = harness.snapshotFile(practice, (input) => {
    input.patient.nhsNumber = '9990000019';
    delete input.clinician.role;
  });

  const run = await harness.cli('submit', first.file, invalid.file, second.file);

  expect(run.error).toBeInstanceOf(BulkOperationError);
  expect((run.error as Error).message).toBe('1 of 3 snapshot files failed (listed above)');
  expect(run.stdout).toBe(
    [
      `accepted  ${first.file}  ${encounterWorkflowId(first.encounterId)}  revision 1`,
      `rejected  ${invalid.file}`,
      '  clinician.role: is required',
      '  patient.nhsNumber: is not a valid NHS number (Modulus 11 check digit does not match)',
      `accepted  ${second.file}  ${encounterWorkflowId(second.encounterId)}  revision 1`,
      '2 accepted, 1 rejected',
      '',
    ].join('\n'),
  );
  for (const phi of [...EXAMPLE_PHI, '9990000019']) expect(run.stdout + run.stderr).not.toContain(phi);

  for (const { encounterId } of [first, second]) {
    const status = await harness.statusWhen(encounterId, (s) => s.nextActionTime !== undefined);
    expect(status).toMatchObject({ state: 'waiting-quiet-period', hostingPracticeOds: practice });
  }
  await expect(
    harness.client.workflow.getHandle(encounterWorkflowId(invalid.encounterId)).describe(),
  ).rejects.toThrow('not found');
});

it('submits through the API with a bearer token, and reports the API rejection of a wrong one', async () => {
  const snapshot = harness.snapshotFile(harness.practice('slow'));

  const accepted = await harness.cli('submit', snapshot.file, '--api', api.url, '--token', API_TOKEN);
  expect(accepted.error).toBeUndefined();
  expect(accepted.stdout).toBe(
    `accepted  ${snapshot.file}  ${encounterWorkflowId(snapshot.encounterId)}  revision 1\n1 accepted, 0 rejected\n`,
  );
  await harness.statusWhen(snapshot.encounterId, (s) => s.latestRevision === 1);

  const refused = await harness.cli(
    'submit',
    snapshot.file,
    '--api',
    api.url,
    '--token',
    'wrong-token-0123456789',
  );
  expect(refused.error).toBeInstanceOf(BulkOperationError);
  expect(refused.stdout).toContain(`rejected  ${snapshot.file}\n  Authorization: `);
});

it('takes the API token from FEDREPORT_API_TOKEN and refuses --api without one', async () => {
  const snapshot = harness.snapshotFile(harness.practice('slow'));
  const missing = await harness.cli('submit', snapshot.file, '--api', api.url);
  expect((missing.error as Error).message).toBe(
    'options is invalid: --token: is required with --api (or set FEDREPORT_API_TOKEN)',
  );

  process.env.FEDREPORT_API_TOKEN = API_TOKEN;
  try {
    const accepted = await harness.cli('submit', snapshot.file, '--api', api.url);
    expect(accepted.error).toBeUndefined();
  } finally {
    delete process.env.FEDREPORT_API_TOKEN;
  }
});
