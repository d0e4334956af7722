import { workerConfigFromEnv } from '../../../worker/config';
import { ValidationError } from '../../../domain/validation-error';

const REQUIRED = { FEDREPORT_FEDERATION_FILE: 'federation.yaml' };

function issues(env: NodeJS.ProcessEnv): { field: string; reason: string }[] {
  try {
    workerConfigFromEnv(env);
  } catch (error) {
    if (error instanceof ValidationError) return error.issues;
    throw error;
  }
  throw new Error('expected the settings to be rejected');
}

describe('worker settings', () => {
  it('defaults to MESH etiquette, the spec’s ack windows and a bounded workflow cache', () => {
    expect(workerConfigFromEnv(REQUIRED)).toMatchObject({
      FEDREPORT_INBOX_POLL_INTERVAL: 5 * 60_000,
      FEDREPORT_INFRASTRUCTURE_ACK_WINDOW: 4 * 3_600_000,
      FEDREPORT_BUSINESS_ACK_WINDOW: 120 * 3_600_000,
      FEDREPORT_MAX_CACHED_WORKFLOWS: 2_000,
      FEDREPORT_LOG_LEVEL: 'info',
    });
    expect(workerConfigFromEnv({ ...REQUIRED, FEDREPORT_MAX_CACHED_WORKFLOWS: '500' }).FEDREPORT_MAX_CACHED_WORKFLOWS).toBe(500);
  });

  it('names the variable and the reason', () => {
    expect(issues({})).toEqual([{ field: 'FEDREPORT_FEDERATION_FILE', reason: expect.stringContaining('is required') }]);
    expect(issues({ ...REQUIRED, FEDREPORT_MAX_CACHED_WORKFLOWS: 'lots' })).toEqual([
      { field: 'FEDREPORT_MAX_CACHED_WORKFLOWS', reason: 'must be a whole number' },
    ]);
    expect(issues({ ...REQUIRED, FEDREPORT_MAX_CACHED_WORKFLOWS: '1' })).toEqual([
      { field: 'FEDREPORT_MAX_CACHED_WORKFLOWS', reason: 'must be between 2 and 1000000' },
    ]);
  });
});
