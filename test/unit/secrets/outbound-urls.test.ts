/** Configured outbound URLs must be https, except to a loopback host (the local stack and tests). */
import { FedreportClient } from '../../../client/sdk/fedreport-client';
import { pdsConfigFromEnv } from '../../../integrations/pds/config';
import { workerConfigFromEnv } from '../../../worker/config';
import { validationIssues } from '../../support/validation-issues';
import { signedJwtEnv } from '../../support/pds-settings';

const HTTPS_ONLY =
  'must be an https:// URL (http:// is accepted only for a loopback host: 127.0.0.1, ::1 or localhost)';
const PDS = signedJwtEnv('FEDREPORT_PDS_');
const WORKER = { FEDREPORT_FEDERATION_FILE: 'federation.yaml' };

describe.each([
  ['FEDREPORT_PDS_BASE_URL', (url: string) => pdsConfigFromEnv({ ...PDS, FEDREPORT_PDS_BASE_URL: url })],
  ['FEDREPORT_PDS_TOKEN_URL', (url: string) => pdsConfigFromEnv({ ...PDS, FEDREPORT_PDS_TOKEN_URL: url })],
  ['baseUrl', (url: string) => new FedreportClient({ baseUrl: url, token: 'a-token-for-the-url-test' })],
  [
    'FEDREPORT_ALERT_WEBHOOK_URL',
    (url: string) => workerConfigFromEnv({ ...WORKER, FEDREPORT_ALERT_WEBHOOK_URL: url }),
  ],
])('%s', (variable, load) => {
  it.each([
    'http://pds.internal:8080/x',
    'http://10.0.0.5/x',
    'ftp://files.example/x',
    'http://127.example.com/x',
  ])('refuses %s', (url) => {
    expect(validationIssues(() => load(url))).toEqual([{ field: variable, reason: HTTPS_ONLY }]);
  });

  it.each([
    'https://int.api.service.nhs.uk/x',
    'http://127.0.0.1:9001/x',
    'http://localhost:9001/x',
    'http://[::1]:9001/x',
  ])('accepts %s', (url) => {
    expect(() => load(url)).not.toThrow();
  });
});
