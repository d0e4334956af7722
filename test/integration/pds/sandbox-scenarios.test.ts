/**
 * The PDS double over raw HTTP against the official sandbox's scenario table: statuses, Spine codes, echoed headers,
 * ETag. Where the NHS fixtures sit beside the repository (shared/pds), the double's records are compared with them.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parsePdsPatient } from '../../../integrations/pds/patient';
import { SANDBOX_PATIENTS, SYNTHETIC_PATIENTS } from '../../../simulators/pds/patients';
import { startPdsDouble, type PdsDouble } from '../../../simulators/pds/server';
import { SHARED_DIR } from '../../../tooling/paths';

let double: PdsDouble;
beforeAll(async () => {
  double = await startPdsDouble();
});
afterAll(() => double.close());

async function get(
  nhsNumber: string,
  headers: Record<string, string> = { 'x-request-id': crypto.randomUUID() },
) {
  const response = await fetch(`${double.url}/Patient/${nhsNumber}`, { headers });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, any>,
  };
}

const spineCode = (body: Record<string, any>) => body.issue[0].details.coding[0].code as string;

describe('official sandbox scenarios', () => {
  it('9000000009: full record with the old GP period, deceased and removal flags; headers echoed; ETag', async () => {
    const requestId = crypto.randomUUID();
    const { status, headers, body } = await get(SANDBOX_PATIENTS.fullRecord, {
      'x-request-id': requestId,
      'x-correlation-id': 'corr-1',
    });
    expect(status).toBe(200);
    expect(headers.get('content-type')).toBe('application/fhir+json');
    expect(headers.get('x-request-id')).toBe(requestId);
    expect(headers.get('x-correlation-id')).toBe('corr-1');
    expect(headers.get('etag')).toBe('W/"2"');
    expect(body.id).toBe('9000000009');
    expect(body.meta.security[0].code).toBe('U');
    expect(body.generalPractitioner[0].identifier).toMatchObject({
      value: 'Y12345',
      period: { start: '2020-01-01', end: '2021-12-31' },
    });
    expect(body.deceasedDateTime).toBe('2010-10-22T00:00:00+00:00');
    const urls = (body.extension as { url: string }[]).map((e) => e.url);
    expect(urls).toEqual(
      expect.arrayContaining([
        'https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-DeathNotificationStatus',
        'https://fhir.nhs.uk/StructureDefinition/Extension-PDS-RemovalFromRegistration',
      ]),
    );
  });

  it('9000000025: restricted record without address, telecom or GP', async () => {
    const { status, body } = await get(SANDBOX_PATIENTS.restricted);
    expect(status).toBe(200);
    expect(body.meta.security[0].code).toBe('R');
    expect(body).not.toHaveProperty('address');
    expect(body).not.toHaveProperty('telecom');
    expect(body).not.toHaveProperty('generalPractitioner');
  });

  it('9000000033: minimal record (identifier and meta only)', async () => {
    const { status, body } = await get(SANDBOX_PATIENTS.minimal);
    expect(status).toBe(200);
    expect(Object.keys(body).sort()).toEqual(['id', 'identifier', 'meta', 'resourceType']);
  });

  it.each([SANDBOX_PATIENTS.notFound, '9990000409'])(
    '%s (valid, unknown): 404 RESOURCE_NOT_FOUND',
    async (nhsNumber) => {
      const { status, body } = await get(nhsNumber);
      expect(status).toBe(404);
      expect(spineCode(body)).toBe('RESOURCE_NOT_FOUND');
      expect(body.issue[0]).toMatchObject({ severity: 'information', code: 'not-found' });
    },
  );

  it.each([SANDBOX_PATIENTS.invalid, '1234567890', '12345'])(
    '%s (invalid): 400 INVALID_RESOURCE_ID',
    async (nhsNumber) => {
      const { status, body } = await get(nhsNumber);
      expect(status).toBe(400);
      expect(spineCode(body)).toBe('INVALID_RESOURCE_ID');
    },
  );

  it('missing X-Request-ID: 400 MISSING_VALUE', async () => {
    const { status, body } = await get(SANDBOX_PATIENTS.fullRecord, {});
    expect(status).toBe(400);
    expect(spineCode(body)).toBe('MISSING_VALUE');
    expect(body.issue[0].diagnostics).toMatch(/X-Request-ID/);
  });

  it('non-UUID X-Request-ID: 400 INVALID_VALUE, value echoed', async () => {
    const { status, headers, body } = await get(SANDBOX_PATIENTS.fullRecord, {
      'x-request-id': 'not-a-uuid',
    });
    expect(status).toBe(400);
    expect(spineCode(body)).toBe('INVALID_VALUE');
    expect(headers.get('x-request-id')).toBe('not-a-uuid');
  });

  it('takes no token, but a malformed Authorization header is 401 ACCESS_DENIED', async () => {
    expect(
      (
        await get(SANDBOX_PATIENTS.fullRecord, {
          'x-request-id': crypto.randomUUID(),
          authorization: 'Bearer anything',
        })
      ).status,
    ).toBe(200);
    const { status, body } = await get(SANDBOX_PATIENTS.fullRecord, {
      'x-request-id': crypto.randomUUID(),
      authorization: 'Basic abc',
    });
    expect(status).toBe(401);
    expect(spineCode(body)).toBe('ACCESS_DENIED');
  });

  it('answers an unknown path with a 404 that has no Spine code (what a wrong base URL looks like)', async () => {
    const response = await fetch(`${double.url}/Nonsense/1`);
    const body = (await response.json()) as Record<string, any>;
    expect(response.status).toBe(404);
    expect(body.issue[0].details).toBeUndefined();
  });
});

const fixtures = path.join(SHARED_DIR, 'pds', 'fixtures');
const describeWithFixtures = fs.existsSync(fixtures) ? describe : describe.skip;

describeWithFixtures('agreement with the NHS sandbox fixtures (shared/pds)', () => {
  const readJson = (...parts: string[]) =>
    JSON.parse(fs.readFileSync(path.join(fixtures, ...parts), 'utf8')) as Record<string, any>;

  it.each([SANDBOX_PATIENTS.fullRecord, SANDBOX_PATIENTS.restricted, SANDBOX_PATIENTS.minimal])(
    '%s: same eligibility facts, name, birth date and gender',
    async (nhsNumber) => {
      const nhs = readJson('patientResponses', `patient_${nhsNumber}.json`);
      const ours = (await get(nhsNumber)).body;
      for (const now of [new Date('2021-06-01T12:00:00Z'), new Date()]) {
        expect(parsePdsPatient(ours, nhsNumber, now)).toEqual(parsePdsPatient(nhs, nhsNumber, now));
      }
      for (const field of ['gender', 'birthDate', 'deceasedDateTime'])
        expect(ours[field]).toEqual(nhs[field]);
      const names = (r: Record<string, any>) =>
        (r.name ?? []).map((n: Record<string, any>) => [n.prefix, n.given, n.family]);
      expect(names(ours)).toEqual(names(nhs));
    },
  );

  it.each(['INVALID_RESOURCE_ID', 'RESOURCE_NOT_FOUND', 'INVALIDATED_RESOURCE'])(
    '%s: same issue code, severity and Spine coding',
    async (code) => {
      const nhs = readJson('errorResponses', `${code}.json`);
      const nhsNumber = {
        INVALID_RESOURCE_ID: SANDBOX_PATIENTS.invalid,
        RESOURCE_NOT_FOUND: SANDBOX_PATIENTS.notFound,
        INVALIDATED_RESOURCE: SYNTHETIC_PATIENTS.invalidated,
      }[code]!;
      const ours = (await get(nhsNumber)).body;
      const shape = (o: Record<string, any>) => ({
        severity: o.issue[0].severity,
        code: o.issue[0].code,
        coding: o.issue[0].details.coding.map((c: Record<string, any>) => [c.system, c.code, c.display]),
      });
      expect(shape(ours)).toEqual(shape(nhs));
    },
  );
});
