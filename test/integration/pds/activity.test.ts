/** The PDS lookup activity in a mocked activity context, against the double: request ids and failure mapping. */
import crypto from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import { ApplicationFailure } from '@temporalio/common';
import { createPdsActivities, requestIdFor } from '../../../activities/pds/activity';
import { createPdsClient } from '../../../integrations/pds/client';
import { SANDBOX_PATIENTS, SYNTHETIC_PATIENTS } from '../../../simulators/pds/patients';
import { startPdsDouble, type PdsDouble } from '../../../simulators/pds/server';

const execution = { workflowId: 'encounter-4f1c2e9a', runId: crypto.randomUUID() };

let double: PdsDouble;
let activities: ReturnType<typeof createPdsActivities>;

beforeAll(async () => {
  double = await startPdsDouble();
  activities = createPdsActivities(
    createPdsClient({ baseUrl: double.url, timeoutMs: 1_000, auth: { mode: 'none' } }),
  );
});
afterAll(() => double.close());
afterEach(() => double.setFaults({ mode: 'none' }));

function inActivity(activityId: string) {
  return new MockActivityEnvironment({ activityId, workflowExecution: execution });
}

describe('requestIdFor', () => {
  it('is a UUID, the same for every attempt of one activity and different for another activity or run', () => {
    const id = requestIdFor({ activityId: '5', workflowExecution: execution });
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(requestIdFor({ activityId: '5', workflowExecution: { ...execution } })).toBe(id);
    expect(requestIdFor({ activityId: '6', workflowExecution: execution })).not.toBe(id);
    expect(
      requestIdFor({ activityId: '5', workflowExecution: { ...execution, runId: crypto.randomUUID() } }),
    ).not.toBe(id);
  });
});

describe('lookupPatient activity', () => {
  it('returns the outcome and sends the derived X-Request-ID, the workflow id and the hosting ODS', async () => {
    const outcome = await inActivity('7').run(activities.lookupPatient, {
      nhsNumber: SYNTHETIC_PATIENTS.atY90002,
      hostingOds: 'Y90001',
    });
    expect(outcome).toMatchObject({ status: 'found', patient: { registeredPracticeOds: 'Y90002' } });
    expect(double.received.at(-1)!.headers).toMatchObject({
      'x-request-id': requestIdFor({ activityId: '7', workflowExecution: execution }),
      'x-correlation-id': execution.workflowId,
      'nhsd-end-user-organisation-ods': 'Y90001',
    });
  });

  it('answers "not found" as a value, not a failure', async () => {
    expect(
      await inActivity('8').run(activities.lookupPatient, {
        nhsNumber: SANDBOX_PATIENTS.notFound,
        hostingOds: 'Y90001',
      }),
    ).toEqual({
      status: 'not-found',
    });
  });

  it('429 becomes a retryable ApplicationFailure whose next retry waits for Retry-After', async () => {
    double.setFaults({ mode: '429', count: 1, retryAfterSeconds: 9 });
    const failure: unknown = await inActivity('9')
      .run(activities.lookupPatient, { nhsNumber: SYNTHETIC_PATIENTS.atY90002, hostingOds: 'Y90001' })
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({
      type: 'PdsRateLimitedError',
      nonRetryable: false,
      nextRetryDelay: 9_000,
    });
    expect((failure as ApplicationFailure).details).toEqual([
      { status: 429, spineCode: 'TOO_MANY_REQUESTS' },
    ]);
  });

  it('403 becomes a non-retryable ApplicationFailure', async () => {
    double.setFaults({ mode: '403', count: 1 });
    const failure: unknown = await inActivity('10')
      .run(activities.lookupPatient, { nhsNumber: SYNTHETIC_PATIENTS.atY90002, hostingOds: 'Y90001' })
      .catch((e: unknown) => e);
    expect(failure).toMatchObject({ type: 'PdsAccessDeniedError', nonRetryable: true });
    expect((failure as Error).message).not.toContain(SYNTHETIC_PATIENTS.atY90002);
  });

  it('a retried activity sends the same X-Request-ID as the failed attempt', async () => {
    double.setFaults({ mode: '5xx', count: 1 });
    const input = { nhsNumber: SYNTHETIC_PATIENTS.atY90003, hostingOds: 'Y90001' };
    await expect(inActivity('11').run(activities.lookupPatient, input)).rejects.toMatchObject({
      nonRetryable: false,
    });
    const retry = new MockActivityEnvironment({ activityId: '11', workflowExecution: execution, attempt: 2 });
    expect(await retry.run(activities.lookupPatient, input)).toMatchObject({ status: 'found' });
    const [first, second] = double.received.slice(-2).map((r) => r.headers['x-request-id']);
    expect(second).toBe(first);
  });
});
