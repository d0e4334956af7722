/** The PDS client against the PDS double over HTTP: every scenario, synthetic patient and fault. */
import crypto from 'node:crypto';
import { createPdsClient, type PdsClient } from '../../../integrations/pds/client';
import {
  PdsAccessDeniedError,
  PdsError,
  PdsInvalidNhsNumberError,
  PdsNetworkError,
  PdsPatientInvalidatedError,
  PdsPatientNotFoundError,
  PdsRateLimitedError,
  PdsServerError,
  PdsTimeoutError,
  PdsUnexpectedResponseError,
} from '../../../integrations/pds/errors';
import { lookupPatient } from '../../../integrations/pds/lookup';
import { ValidationError } from '../../../domain/validation-error';
import { SANDBOX_PATIENTS, SYNTHETIC_PATIENTS } from '../../../simulators/pds/patients';
import { startPdsDouble, type PdsDouble } from '../../../simulators/pds/server';
import { freePort } from '../../../tooling/processes';

/** A day the example consultations were on: the synthetic registrations and the deceased patient are pinned to it. */
const NOW = new Date('2026-11-21T09:00:00Z');

let double: PdsDouble;
let client: PdsClient;

beforeAll(async () => {
  double = await startPdsDouble();
  client = createPdsClient(
    { baseUrl: double.url, timeoutMs: 2_000, auth: { mode: 'none' } },
    { now: () => NOW },
  );
});
afterAll(() => double.close());
afterEach(() => double.setFaults({ mode: 'none' }));

const fresh = () => ({ requestId: crypto.randomUUID() });

/** The thrown error, for assertions on its type and fields. */
async function failure(promise: Promise<unknown>): Promise<PdsError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof PdsError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe('sandbox scenarios through the client', () => {
  it('9000000009: the 2020-2021 GP period is over, so no current practice; deceased', async () => {
    expect(await client.getPatient(SANDBOX_PATIENTS.fullRecord, fresh())).toEqual({
      nhsNumber: '9000000009',
      superseded: false,
      securityLabel: 'U',
      registeredPracticeOds: null,
      formerPracticeOds: ['Y12345'],
      deceasedAt: '2010-10-22T00:00:00+00:00',
      versionId: '2',
      familyName: 'Smith',
      birthDate: '2010-10-22',
    });
  });

  it('9000000009 seen from inside its GP period: Y12345 (the injectable clock decides "current")', async () => {
    const then = createPdsClient(
      { baseUrl: double.url, timeoutMs: 1_000, auth: { mode: 'none' } },
      { now: () => new Date('2021-12-31T23:30:00Z') },
    );
    expect((await then.getPatient(SANDBOX_PATIENTS.fullRecord, fresh())).registeredPracticeOds).toBe(
      'Y12345',
    );
  });

  it('9000000025: restricted, practice withheld', async () => {
    expect(await client.getPatient(SANDBOX_PATIENTS.restricted, fresh())).toMatchObject({
      securityLabel: 'R',
      registeredPracticeOds: null,
    });
  });

  it('9000000033: minimal record reads as unrestricted, no practice, alive', async () => {
    expect(await client.getPatient(SANDBOX_PATIENTS.minimal, fresh())).toMatchObject({
      securityLabel: 'U',
      registeredPracticeOds: null,
      deceasedAt: null,
      superseded: false,
    });
  });

  it('404 RESOURCE_NOT_FOUND: permanent PdsPatientNotFoundError; no NHS number in the message', async () => {
    const error = await failure(client.getPatient(SANDBOX_PATIENTS.notFound, fresh()));
    expect(error).toBeInstanceOf(PdsPatientNotFoundError);
    expect(error).toMatchObject({ retryable: false, status: 404, spineCode: 'RESOURCE_NOT_FOUND' });
    expect(error.message).not.toContain(SANDBOX_PATIENTS.notFound);
  });

  it('400 INVALID_RESOURCE_ID: permanent PdsInvalidNhsNumberError', async () => {
    const error = await failure(client.getPatient(SANDBOX_PATIENTS.invalid, fresh()));
    expect(error).toBeInstanceOf(PdsInvalidNhsNumberError);
    expect(error).toMatchObject({ retryable: false, status: 400, spineCode: 'INVALID_RESOURCE_ID' });
    expect(error.message).not.toContain(SANDBOX_PATIENTS.invalid);
  });

  it('404 INVALIDATED_RESOURCE: permanent PdsPatientInvalidatedError', async () => {
    const error = await failure(client.getPatient(SYNTHETIC_PATIENTS.invalidated, fresh()));
    expect(error).toBeInstanceOf(PdsPatientInvalidatedError);
    expect(error).toMatchObject({ retryable: false, status: 404, spineCode: 'INVALIDATED_RESOURCE' });
  });

  it('refuses a non-UUID request id and a non-numeric NHS number before calling PDS', async () => {
    const before = double.received.length;
    await expect(client.getPatient(SANDBOX_PATIENTS.minimal, { requestId: 'abc' })).rejects.toThrow(
      ValidationError,
    );
    await expect(client.getPatient('../admin', fresh())).rejects.toThrow(PdsInvalidNhsNumberError);
    expect(double.received.length).toBe(before);
  });
});

describe('synthetic patients of the example federation', () => {
  it.each([
    [SYNTHETIC_PATIENTS.atY90002, 'Y90002'],
    [SYNTHETIC_PATIENTS.atY90003, 'Y90003'],
    [SYNTHETIC_PATIENTS.atHostingPractice, 'Y90001'],
    [SYNTHETIC_PATIENTS.outsideFederation, 'Y91001'],
    [SYNTHETIC_PATIENTS.changedPractice, 'Y90002'],
    [SYNTHETIC_PATIENTS.noCurrentPractice, null],
  ])('%s is registered at %s', async (nhsNumber, ods) => {
    expect(await client.getPatient(nhsNumber, fresh())).toMatchObject({
      nhsNumber,
      superseded: false,
      securityLabel: 'U',
      registeredPracticeOds: ods,
    });
  });

  it('changed practice: the ended registration counts up to and including its last day', async () => {
    const onLastDay = createPdsClient(
      { baseUrl: double.url, timeoutMs: 1_000, auth: { mode: 'none' } },
      { now: () => new Date('2025-06-30T22:30:00Z') },
    );
    // 22:30 UTC on 30 June is 23:30 in London (BST): still the old practice.
    expect(
      (await onLastDay.getPatient(SYNTHETIC_PATIENTS.changedPractice, fresh())).registeredPracticeOds,
    ).toBe('Y91001');
  });

  it.each([
    [SYNTHETIC_PATIENTS.restricted, 'R'],
    [SYNTHETIC_PATIENTS.veryRestricted, 'V'],
  ])('%s: security label %s, practice withheld', async (nhsNumber, label) => {
    expect(await client.getPatient(nhsNumber, fresh())).toMatchObject({
      securityLabel: label,
      registeredPracticeOds: null,
    });
  });

  it('deceased patient keeps the registered practice and carries the date of death', async () => {
    expect(await client.getPatient(SYNTHETIC_PATIENTS.deceased, fresh())).toMatchObject({
      registeredPracticeOds: 'Y90002',
      deceasedAt: '2026-11-20T18:40:00+00:00',
    });
  });

  it('superseded number: the record of the new number comes back and is flagged', async () => {
    expect(await client.getPatient(SYNTHETIC_PATIENTS.superseded, fresh())).toMatchObject({
      nhsNumber: SYNTHETIC_PATIENTS.supersededBy,
      superseded: true,
      registeredPracticeOds: 'Y90003',
    });
  });

  it('lookupPatient turns the answers that decide eligibility into values', async () => {
    expect(await lookupPatient(client, SANDBOX_PATIENTS.invalid, fresh())).toEqual({
      status: 'invalid-nhs-number',
    });
    expect(await lookupPatient(client, SANDBOX_PATIENTS.notFound, fresh())).toEqual({ status: 'not-found' });
    expect(await lookupPatient(client, SYNTHETIC_PATIENTS.invalidated, fresh())).toEqual({
      status: 'invalidated',
    });
    expect(await lookupPatient(client, SYNTHETIC_PATIENTS.atY90002, fresh())).toMatchObject({
      status: 'found',
      patient: { registeredPracticeOds: 'Y90002' },
    });
    double.setFaults({ mode: '5xx', count: 1 });
    await expect(lookupPatient(client, SYNTHETIC_PATIENTS.atY90002, fresh())).rejects.toThrow(PdsServerError);
  });
});

describe('request headers', () => {
  it('sends X-Request-ID, X-Correlation-ID and NHSD-End-User-Organisation-ODS; no Authorization for the sandbox', async () => {
    const requestId = crypto.randomUUID();
    await client.getPatient(SYNTHETIC_PATIENTS.atY90002, {
      requestId,
      correlationId: 'encounter-42',
      endUserOds: 'Y90001',
    });
    const seen = double.received.at(-1)!;
    expect(seen.headers).toMatchObject({
      'x-request-id': requestId,
      'x-correlation-id': 'encounter-42',
      'nhsd-end-user-organisation-ods': 'Y90001',
      accept: 'application/fhir+json',
    });
    expect(seen.headers.authorization).toBeUndefined();
  });
});

describe('faults', () => {
  it('slow but inside the timeout: answers normally', async () => {
    double.setFaults({ mode: 'slow', delayMs: 300, count: 1 });
    expect((await client.getPatient(SYNTHETIC_PATIENTS.atY90003, fresh())).registeredPracticeOds).toBe(
      'Y90003',
    );
  });

  it('slower than the timeout: retryable PdsTimeoutError without a status', async () => {
    double.setFaults({ mode: 'slow', delayMs: 6_000, count: 1 });
    const started = Date.now();
    const error = await failure(client.getPatient(SYNTHETIC_PATIENTS.atY90003, fresh()));
    expect(error).toBeInstanceOf(PdsTimeoutError);
    expect(error).toMatchObject({ retryable: true, status: undefined });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('408 UNABLE_TO_CALL_SERVICE: retryable PdsTimeoutError', async () => {
    double.setFaults({ mode: '408', count: 1 });
    const error = await failure(client.getPatient(SYNTHETIC_PATIENTS.atY90003, fresh()));
    expect(error).toBeInstanceOf(PdsTimeoutError);
    expect(error).toMatchObject({ retryable: true, status: 408, spineCode: 'UNABLE_TO_CALL_SERVICE' });
  });

  it('429 with Retry-After: retryable PdsRateLimitedError carrying the delay', async () => {
    double.setFaults({ mode: '429', count: 1, retryAfterSeconds: 7 });
    const error = await failure(client.getPatient(SYNTHETIC_PATIENTS.atY90003, fresh()));
    expect(error).toBeInstanceOf(PdsRateLimitedError);
    expect(error).toMatchObject({
      retryable: true,
      status: 429,
      spineCode: 'TOO_MANY_REQUESTS',
      retryAfterMs: 7_000,
    });
  });

  it('429 without Retry-After: no delay is invented', async () => {
    double.setFaults({ mode: '429', count: 1 });
    expect(await failure(client.getPatient(SYNTHETIC_PATIENTS.atY90003, fresh()))).toMatchObject({
      retryAfterMs: undefined,
    });
  });

  it.each([500, 502, 503])('%s: retryable PdsServerError', async (status) => {
    double.setFaults({ mode: '5xx', status, count: 1, retryAfterSeconds: 2 });
    const error = await failure(client.getPatient(SYNTHETIC_PATIENTS.atY90003, fresh()));
    expect(error).toBeInstanceOf(PdsServerError);
    expect(error).toMatchObject({ retryable: true, status, retryAfterMs: 2_000 });
  });

  it('403: permanent PdsAccessDeniedError', async () => {
    double.setFaults({ mode: '403', count: 1 });
    const error = await failure(client.getPatient(SYNTHETIC_PATIENTS.atY90003, fresh()));
    expect(error).toBeInstanceOf(PdsAccessDeniedError);
    expect(error).toMatchObject({ retryable: false, status: 403, spineCode: 'ACCESS_DENIED' });
  });

  it('a retry after a 5xx reuses the same X-Request-ID and succeeds', async () => {
    double.setFaults({ mode: '5xx', count: 1 });
    const lookup = { requestId: crypto.randomUUID(), correlationId: 'retry-test' };
    await expect(client.getPatient(SYNTHETIC_PATIENTS.atY90002, lookup)).rejects.toThrow(PdsServerError);
    expect((await client.getPatient(SYNTHETIC_PATIENTS.atY90002, lookup)).registeredPracticeOds).toBe(
      'Y90002',
    );
    const ids = double.received
      .filter((r) => r.headers['x-correlation-id'] === 'retry-test')
      .map((r) => r.headers['x-request-id']);
    expect(ids).toEqual([lookup.requestId, lookup.requestId]);
  });

  it('faults can be set over HTTP (POST /_faults) and are validated', async () => {
    const origin = new URL(double.url).origin;
    const post = (body: unknown) =>
      fetch(`${origin}/_faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await post({ mode: '429', count: 1, retryAfterSeconds: 1 })).status).toBe(204);
    await expect(client.getPatient(SYNTHETIC_PATIENTS.atY90002, fresh())).rejects.toThrow(
      PdsRateLimitedError,
    );
    expect((await client.getPatient(SYNTHETIC_PATIENTS.atY90002, fresh())).registeredPracticeOds).toBe(
      'Y90002',
    );
    expect((await post({ mode: 'explode' })).status).toBe(400);
  });

  it('nothing listening: retryable PdsNetworkError', async () => {
    const nowhere = createPdsClient({
      baseUrl: `http://127.0.0.1:${await freePort()}/personal-demographics/FHIR/R4`,
      timeoutMs: 1_000,
      auth: { mode: 'none' },
    });
    const error = await failure(nowhere.getPatient(SYNTHETIC_PATIENTS.atY90002, fresh()));
    expect(error).toBeInstanceOf(PdsNetworkError);
    expect(error).toMatchObject({ retryable: true });
    expect(error.message).toMatch(/ECONNREFUSED/);
  });

  it('a wrong base URL (bare 404) is not mistaken for "patient not found"', async () => {
    const wrong = createPdsClient({
      baseUrl: `${new URL(double.url).origin}/wrong`,
      timeoutMs: 1_000,
      auth: { mode: 'none' },
    });
    const error = await failure(wrong.getPatient(SYNTHETIC_PATIENTS.atY90002, fresh()));
    expect(error).toBeInstanceOf(PdsUnexpectedResponseError);
    expect(error).toMatchObject({ retryable: false, status: 404 });
  });
});
