/** PDS client configuration from PDS_* variables: defaults, the signed-JWT set, and errors naming the variable. */
import { pdsConfigFromEnv } from '../../../integrations/pds/config';
import { validationIssues } from '../../support/validation-issues';

const BASE = 'https://int.api.service.nhs.uk/personal-demographics/FHIR/R4';

const issuesOf = (env: NodeJS.ProcessEnv) => validationIssues(() => pdsConfigFromEnv(env));

describe('pdsConfigFromEnv', () => {
  it('defaults: no authentication, 10 s timeout; trailing slash dropped; other variables ignored', () => {
    expect(pdsConfigFromEnv({ PDS_BASE_URL: `${BASE}/`, LANG: 'en_GB.UTF-8' })).toEqual({
      baseUrl: BASE,
      timeoutMs: 10_000,
      auth: { mode: 'none' },
    });
  });

  it('signed JWT with all its settings', () => {
    expect(
      pdsConfigFromEnv({
        PDS_BASE_URL: BASE,
        PDS_AUTH: 'signed-jwt',
        PDS_API_KEY: 'key',
        PDS_KEY_ID: 'int-1',
        PDS_PRIVATE_KEY_FILE: 'secrets/pds.pem',
        PDS_TOKEN_URL: 'https://int.api.service.nhs.uk/oauth2/token',
        PDS_JWT_LIFETIME_SECONDS: '240',
        PDS_TIMEOUT_MS: '5000',
      }),
    ).toEqual({
      baseUrl: BASE,
      timeoutMs: 5_000,
      auth: {
        mode: 'signed-jwt',
        apiKey: 'key',
        keyId: 'int-1',
        privateKeyFile: 'secrets/pds.pem',
        tokenUrl: 'https://int.api.service.nhs.uk/oauth2/token',
        jwtLifetimeSeconds: 240,
      },
    });
  });

  it('signed JWT names every missing variable (empty counts as missing)', () => {
    expect(
      issuesOf({ PDS_BASE_URL: BASE, PDS_AUTH: 'signed-jwt', PDS_API_KEY: '' }).map((i) => [
        i.field,
        i.reason,
      ]),
    ).toEqual([
      ['PDS_API_KEY', 'is required'],
      ['PDS_KEY_ID', 'is required'],
      ['PDS_PRIVATE_KEY_FILE', 'is required'],
      ['PDS_TOKEN_URL', 'is required'],
    ]);
  });

  it('refuses a JWT lifetime above the platform limit of 5 minutes', () => {
    const env = {
      PDS_BASE_URL: BASE,
      PDS_AUTH: 'signed-jwt',
      PDS_API_KEY: 'key',
      PDS_KEY_ID: 'int-1',
      PDS_PRIVATE_KEY_FILE: 'secrets/pds.pem',
      PDS_TOKEN_URL: 'https://int.api.service.nhs.uk/oauth2/token',
      PDS_JWT_LIFETIME_SECONDS: '600',
    };
    expect(issuesOf(env).map((i) => i.field)).toEqual(['PDS_JWT_LIFETIME_SECONDS']);
  });

  it('names a missing base URL, an unknown auth mode and a bad timeout', () => {
    expect(issuesOf({}).map((i) => i.field)).toEqual(['PDS_BASE_URL']);
    expect(issuesOf({ PDS_BASE_URL: BASE, PDS_AUTH: 'basic' }).map((i) => i.field)).toEqual(['PDS_AUTH']);
    expect(issuesOf({ PDS_BASE_URL: 'not a url', PDS_TIMEOUT_MS: 'soon' }).map((i) => i.field)).toEqual([
      'PDS_BASE_URL',
      'PDS_TIMEOUT_MS',
    ]);
  });
});
