import { workerConfigFromEnv } from '../../../worker/config';
import { validationIssues } from '../../support/validation-issues';

const REQUIRED = { FEDREPORT_FEDERATION_FILE: 'federation.yaml' };

const issues = (env: NodeJS.ProcessEnv) => validationIssues(() => workerConfigFromEnv(env));

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
