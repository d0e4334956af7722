/**
 * The data the local MESH routes by: the endpoint directory (from the federation file, or a JSON file) and the PDS
 * double's extra patients (FEDREPORT_PDS_PATIENTS_FILE). Both are validated with an error per field, never a value.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ValidationError } from '../../../domain/validation-error';
import { createPdsClient } from '../../../integrations/pds/client';
import {
  createEndpointDirectory,
  loadEndpointDirectory,
} from '../../../simulators/mesh-router/endpoint-directory';
import { createPdsTracer } from '../../../simulators/mesh-router/pds-trace';
import {
  loadPdsPatientsFile,
  PDS_PATIENTS_FILE_ENV,
  pdsPatientRecords,
  type PatientsFileInput,
} from '../../../simulators/pds/patients-file';
import { startPdsDouble } from '../../../simulators/pds/server';
import { exampleEndpointDirectory } from '../../../tooling/example-federation';
import { validationIssues } from '../../support/validation-issues';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fedreport-router-data-'));
const writeJson = (name: string, value: unknown): string => {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
  return file;
};

const ADA: PatientsFileInput['patients'][number] = {
  nhsNumber: '999 000 1235',
  name: { title: 'Ms', given: ['Ada'], family: 'Lovelace-Byron' },
  birthDate: '1985-12-10',
  gender: 'female',
  registeredPractice: 'Y90002',
};

describe('endpoint directory', () => {
  test('from the example federation: each practice’s mailbox for the GP Connect workflows and their acks', () => {
    const directory = exampleEndpointDirectory();
    for (const workflow of [
      'GPFED_CONSULT_REPORT',
      'GPFED_CONSULT_REPORT_ACK',
      'GPCONNECT_SEND_DOCUMENT',
      'GPCONNECT_SEND_DOCUMENT_ACK',
    ]) {
      expect(directory.lookup('Y90002', workflow)).toEqual([
        { mailboxId: 'X26ABC2', mailboxName: 'Hillside Surgery' },
      ]);
    }
    expect(directory.lookup('y91001', ' GPFED_CONSULT_REPORT ')).toEqual([
      { mailboxId: 'X26NBK1', mailboxName: 'Northbrook Group Practice' },
    ]);
    expect(directory.lookup('Y90002', 'TOC_FHIR_IP_DISCH')).toEqual([]);
    expect(directory.lookup('Y99999', 'GPFED_CONSULT_REPORT')).toEqual([]);
  });

  test('from a file: a mailbox listed twice counts once; every wrong field is named', async () => {
    const file = writeJson('directory.json', {
      endpoints: [
        { odsCode: 'Y90002', mailboxId: 'x26abc2', workflowIds: ['GPFED_CONSULT_REPORT'] },
        {
          odsCode: 'Y90002',
          mailboxId: 'X26ABC2',
          mailboxName: 'Hillside',
          workflowIds: ['GPFED_CONSULT_REPORT'],
        },
      ],
    });
    const directory = await loadEndpointDirectory(file);
    expect(directory.lookup('Y90002', 'GPFED_CONSULT_REPORT')).toEqual([
      { mailboxId: 'X26ABC2', mailboxName: 'Hillside' },
    ]);
    expect(directory.mailboxIds()).toEqual(['X26ABC2']);
    const wrong = { endpoints: [{ odsCode: 'y9', mailboxId: 'X26/ABC', workflowIds: [], colour: 'red' }] };
    expect(validationIssues(() => createEndpointDirectory(wrong as never))).toEqual([
      { field: 'endpoints[0].odsCode', reason: expect.stringMatching(/ODS code/) },
      { field: 'endpoints[0].mailboxId', reason: expect.stringMatching(/letters, digits/) },
      { field: 'endpoints[0].workflowIds', reason: 'needs at least 1 item(s)' },
      { field: 'endpoints[0]', reason: 'has unknown field(s) colour' },
    ]);
    await expect(loadEndpointDirectory(writeJson('broken.json', '{"endpoints": ['))).rejects.toThrow(
      `${path.join(tmp, 'broken.json')} is invalid: (root): is not JSON`,
    );
    await expect(loadEndpointDirectory(path.join(tmp, 'missing.json'))).rejects.toThrow(
      /\(file\): cannot be read \(ENOENT\)/,
    );
  });
});

describe('PDS double patients file', () => {
  test('a patient from the file is served like the built-in ones and traced with name, birth date and practice', async () => {
    const double = await startPdsDouble({
      patients: await loadPdsPatientsFile(writeJson('patients.json', { patients: [ADA] })),
    });
    try {
      const client = createPdsClient({ baseUrl: double.url, timeoutMs: 5_000, auth: { mode: 'none' } });
      expect(await client.getPatient('9990001235', { requestId: crypto.randomUUID() })).toMatchObject({
        registeredPracticeOds: 'Y90002',
        securityLabel: 'U',
      });
      expect(await createPdsTracer({ pdsUrl: double.url })('9990001235')).toEqual({
        status: 'found',
        familyNames: ['Lovelace-Byron'],
        birthDate: '1985-12-10',
        registeredPracticeOds: 'Y90002',
      });
    } finally {
      await double.close();
    }
  });

  test('every wrong field is named with its reason, never its value', () => {
    const input = {
      patients: [
        {
          ...ADA,
          nhsNumber: '9990001237',
          birthDate: '1985-02-30',
          gender: 'f',
          registeredPractice: 'hillside',
          nickname: 'Ada',
        },
        { ...ADA, name: { given: [], family: '' } },
      ],
    };
    const issues = validationIssues(() =>
      pdsPatientRecords(input as unknown as PatientsFileInput, 'patients.json'),
    );
    expect(issues).toEqual([
      { field: 'patients[0].nhsNumber', reason: expect.stringMatching(/Modulus 11/) },
      { field: 'patients[0].birthDate', reason: 'is not a real calendar date' },
      { field: 'patients[0].gender', reason: 'must be one of male, female, other, unknown' },
      { field: 'patients[0].registeredPractice', reason: expect.stringMatching(/ODS code/) },
      { field: 'patients[0]', reason: 'has unknown field(s) nickname' },
      { field: 'patients[1].name.given', reason: 'needs at least 1 item(s)' },
      { field: 'patients[1].name.family', reason: 'must not be empty' },
    ]);
    expect(JSON.stringify(issues)).not.toMatch(/9990001237|Lovelace|hillside|1985/);
    // Once every patient reads, NHS numbers must be new: not repeated, not one the double already has.
    const numbers = {
      patients: [ADA, { ...ADA, nhsNumber: '9990001235' }, { ...ADA, nhsNumber: '9990000018' }],
    };
    expect(validationIssues(() => pdsPatientRecords(numbers))).toEqual([
      { field: 'patients[1].nhsNumber', reason: 'repeats patients[0].nhsNumber' },
      { field: 'patients[2].nhsNumber', reason: 'is already a built-in patient of the PDS double' },
    ]);
  });

  test(`the PDS double's main.ts reads ${PDS_PATIENTS_FILE_ENV} and stops with the field and reason when it is wrong`, async () => {
    const file = writeJson('wrong-patients.json', { patients: [{ ...ADA, birthDate: '10/12/1985' }] });
    const main = path.resolve(__dirname, '../../../simulators/pds/main.ts');
    const child = spawn(process.execPath, [require.resolve('tsx/cli'), main, '--port', '0'], {
      env: { PATH: process.env.PATH, [PDS_PATIENTS_FILE_ENV]: file },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let errors = '';
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    expect(await new Promise((resolve) => child.once('exit', resolve))).toBe(1);
    expect(errors).toContain(`${file} is invalid: patients[0].birthDate: must be a date as YYYY-MM-DD`);
  });
});

test('ValidationError is the one error type of both files', () => {
  expect(() => pdsPatientRecords({ patients: 'none' } as never)).toThrow(ValidationError);
  expect(() => createEndpointDirectory({} as never)).toThrow(ValidationError);
});
