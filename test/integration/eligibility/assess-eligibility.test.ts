/**
 * The wired eligibility activity in a mocked activity context, against the PDS double and the example federation:
 * what it sends to PDS, how PDS failures reach Temporal, and that "not found" is a verdict rather than a failure.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createEligibilityActivities } from '../../../activities/eligibility/assess-eligibility';
import { parseConsultationSnapshot, type ConsultationSnapshot } from '../../../domain/snapshot';
import { openFederationSettings } from '../../../integrations/federation/store';
import { createPdsClient } from '../../../integrations/pds/client';
import { SANDBOX_PATIENTS, SYNTHETIC_PATIENTS } from '../../../simulators/pds/patients';
import { startPdsDouble, type PdsDouble } from '../../../simulators/pds/server';
import { PROJECT_ROOT } from '../../../tooling/paths';
import type { EligibilityVerdict } from '../../../workflows/encounter-activities';

/** A day the example consultations were on: the synthetic registrations are pinned to it. */
const NOW = new Date('2026-11-21T09:00:00Z');

/** The temporary-resident example: hosted at Y90001, so eligibility needs PDS. */
const temporaryResident = parseConsultationSnapshot(
  JSON.parse(
    fs.readFileSync(path.join(PROJECT_ROOT, 'examples', 'consultation-temporary-resident.json'), 'utf8'),
  ),
);

let double: PdsDouble;
let activities: ReturnType<typeof createEligibilityActivities>;

beforeAll(async () => {
  double = await startPdsDouble();
  activities = createEligibilityActivities({
    pds: createPdsClient(
      { baseUrl: double.url, timeoutMs: 1_000, auth: { mode: 'none' } },
      { now: () => NOW },
    ),
    settings: await openFederationSettings(path.join(PROJECT_ROOT, 'examples', 'federation.yaml')),
  });
});
afterAll(() => double.close());
afterEach(() => double.setFaults({ mode: 'none' }));

function snapshotOf(nhsNumber: string): ConsultationSnapshot {
  return { ...temporaryResident, patient: { ...temporaryResident.patient, nhsNumber } };
}

/** One attempt of the activity, as Temporal would run it. */
function assess(snapshot: ConsultationSnapshot, requestId: string, attempt = 1): Promise<EligibilityVerdict> {
  return new MockActivityEnvironment({ attempt }).run(activities.assessEligibility, { snapshot, requestId });
}

/** What one attempt failed with. */
function failureOf(snapshot: ConsultationSnapshot): Promise<unknown> {
  return assess(snapshot, crypto.randomUUID()).catch((error: unknown) => error);
}

describe('assessEligibility', () => {
  it('looks the patient up with the given request id, the encounter id and the hosting practice', async () => {
    const requestId = crypto.randomUUID();
    const verdict = await assess(snapshotOf(SYNTHETIC_PATIENTS.atY90002), requestId);
    expect(verdict).toMatchObject({
      verdict: 'required',
      registeredPracticeOds: 'Y90002',
      registeredPracticeName: 'Hillside Surgery',
    });
    expect(double.received.at(-1)!.headers).toMatchObject({
      'x-request-id': requestId,
      'x-correlation-id': temporaryResident.encounterId,
      'nhsd-end-user-organisation-ods': temporaryResident.hostingPractice.odsCode,
    });
  });

  it('a retry after a failed attempt sends the same X-Request-ID', async () => {
    const snapshot = snapshotOf(SYNTHETIC_PATIENTS.atY90003);
    const requestId = crypto.randomUUID();
    double.setFaults({ mode: '5xx', count: 1 });
    await expect(assess(snapshot, requestId)).rejects.toMatchObject({
      type: 'PdsServerError',
      nonRetryable: false,
    });
    expect(await assess(snapshot, requestId, 2)).toMatchObject({
      verdict: 'required',
      registeredPracticeOds: 'Y90003',
    });
    const [first, second] = double.received.slice(-2).map((request) => request.headers['x-request-id']);
    expect([first, second]).toEqual([requestId, requestId]);
  });

  it('"not found" is a blocked verdict, not a failure', async () => {
    expect(await assess(snapshotOf(SANDBOX_PATIENTS.notFound), crypto.randomUUID())).toEqual({
      verdict: 'blocked',
      reason: 'blocked: PDS has no record for the patient',
    });
  });

  it('a regular registration is decided without asking PDS', async () => {
    const regular = snapshotOf(SYNTHETIC_PATIENTS.atY90002);
    regular.patient.registrationType = 'R';
    const before = double.received.length;
    expect(await assess(regular, crypto.randomUUID())).toMatchObject({ verdict: 'not-required' });
    expect(double.received.length).toBe(before);
  });

  it('429 becomes a retryable ApplicationFailure whose next retry waits for Retry-After', async () => {
    double.setFaults({ mode: '429', count: 1, retryAfterSeconds: 9 });
    const failure = await failureOf(snapshotOf(SYNTHETIC_PATIENTS.atY90002));
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({
      type: 'PdsRateLimitedError',
      nonRetryable: false,
      nextRetryDelay: 9_000,
      details: [{ status: 429, spineCode: 'TOO_MANY_REQUESTS' }],
    });
  });

  it('403 becomes a non-retryable ApplicationFailure that does not name the patient', async () => {
    double.setFaults({ mode: '403', count: 1 });
    const failure = await failureOf(snapshotOf(SYNTHETIC_PATIENTS.atY90002));
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'PdsAccessDeniedError', nonRetryable: true });
    expect((failure as Error).message).not.toContain(SYNTHETIC_PATIENTS.atY90002);
  });
});

describe('the report a required verdict describes', () => {
  const required = async (snapshot: ConsultationSnapshot) => {
    const verdict = await assess(snapshot, crypto.randomUUID());
    if (verdict.verdict !== 'required') throw new Error(`expected a required verdict, got ${verdict.verdict}`);
    return verdict;
  };

  it('addresses MESH with the spine’s family name and birth date, and names the fields the record has otherwise', async () => {
    const onSpine = await required(snapshotOf(SYNTHETIC_PATIENTS.atY90002));
    const recordSays = { ...snapshotOf(SYNTHETIC_PATIENTS.atY90002) };
    recordSays.patient = { ...recordSays.patient, name: { ...recordSays.patient.name, family: 'Localname' } };
    const verdict = await required(recordSays);
    expect(onSpine.addressDemographics).toEqual({ familyName: 'Whitfield', birthDate: '1958-03-14' });
    expect(verdict.addressDemographics).toEqual(onSpine.addressDemographics);
    expect(verdict.spineMismatch).toEqual({ fields: ['family name'], alert: false });
  });

  it('gives the same content digest to a later revision with the same content, another to changed content', async () => {
    const first = snapshotOf(SYNTHETIC_PATIENTS.atY90002);
    const later = { ...first, revision: first.revision + 1, savedAt: '2026-11-21T10:00:00Z' };
    const changed = { ...later, consultation: { ...later.consultation, followUpActions: ['Review in two weeks'] } };
    const [a, b, c] = [await required(first), await required(later), await required(changed)];
    expect(a.contentDigest).toMatch(/^[0-9a-f]{64}$/);
    expect(b.contentDigest).toBe(a.contentDigest);
    expect(c.contentDigest).not.toBe(a.contentDigest);
  });
});
