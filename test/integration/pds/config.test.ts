/** PDS settings (FEDREPORT_PDS_*): defaults, the signed-JWT set, and errors naming the variable. */
import { pdsConfigFromEnv } from '../../../integrations/pds/config';
import { SIGNED_JWT_CONFIG, signedJwtEnv } from '../../support/pds-settings';
import { validationIssues } from '../../support/validation-issues';

const BASE = 'https://int.api.service.nhs.uk/personal-demographics/FHIR/R4';

const issuesOf = (env: NodeJS.ProcessEnv) => validationIssues(() => pdsConfigFromEnv(env));

describe('pdsConfigFromEnv', () => {
  it('defaults: no authentication, 10 s timeout; trailing slash dropped; other variables ignored', () => {
    expect(pdsConfigFromEnv({ FEDREPORT_PDS_BASE_URL: `${BASE}/`, LANG: 'en_GB.UTF-8' })).toEqual({
      baseUrl: BASE,
      timeoutMs: 10_000,
      auth: { mode: 'none' },
    });
  });

  it('signed JWT with all its settings', () => {
    expect(pdsConfigFromEnv(signedJwtEnv('FEDREPORT_PDS_'))).toEqual(SIGNED_JWT_CONFIG);
  });

  it('signed JWT names every missing variable (empty counts as missing)', () => {
    expect(
      issuesOf({
        FEDREPORT_PDS_BASE_URL: BASE,
        FEDREPORT_PDS_AUTH: 'signed-jwt',
        FEDREPORT_PDS_API_KEY: '',
      }).map((i) => [i.field, i.reason]),
    ).toEqual([
      ['FEDREPORT_PDS_API_KEY', 'is required'],
      ['FEDREPORT_PDS_KEY_ID', 'is required'],
      ['FEDREPORT_PDS_PRIVATE_KEY_FILE', 'is required'],
      ['FEDREPORT_PDS_TOKEN_URL', 'is required'],
    ]);
  });

  it('refuses a JWT lifetime above the platform limit of 5 minutes', () => {
    const env = { ...signedJwtEnv('FEDREPORT_PDS_'), FEDREPORT_PDS_JWT_LIFETIME_SECONDS: '600' };
    expect(issuesOf(env).map((i) => i.field)).toEqual(['FEDREPORT_PDS_JWT_LIFETIME_SECONDS']);
  });

  it('names a missing base URL, an unknown auth mode and a bad timeout', () => {
    expect(issuesOf({}).map((i) => i.field)).toEqual(['FEDREPORT_PDS_BASE_URL']);
    expect(
      issuesOf({ FEDREPORT_PDS_BASE_URL: BASE, FEDREPORT_PDS_AUTH: 'basic' }).map((i) => i.field),
    ).toEqual(['FEDREPORT_PDS_AUTH']);
    expect(
      issuesOf({ FEDREPORT_PDS_BASE_URL: 'not a url', FEDREPORT_PDS_TIMEOUT_MS: 'soon' }).map((i) => i.field),
    ).toEqual(['FEDREPORT_PDS_BASE_URL', 'FEDREPORT_PDS_TIMEOUT_MS']);
  });
});
