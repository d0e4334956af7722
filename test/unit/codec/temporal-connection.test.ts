import { temporalConnectionConfigFromEnv } from '../../../common/temporal-connection';
import { validationIssues } from '../../support/validation-issues';

const issues = (env: NodeJS.ProcessEnv) => validationIssues(() => temporalConnectionConfigFromEnv(env));

describe('Temporal connection settings', () => {
  it('defaults to the local dev server', () => {
    expect(temporalConnectionConfigFromEnv({})).toEqual({ address: '127.0.0.1:7233', namespace: 'default' });
  });

  it('turns TLS on when certificates or an API key are given', () => {
    expect(
      temporalConnectionConfigFromEnv({
        FEDREPORT_TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233',
        FEDREPORT_TEMPORAL_NAMESPACE: 'ns.acct',
        FEDREPORT_TEMPORAL_TLS_CERT_FILE: 'client.pem',
        FEDREPORT_TEMPORAL_TLS_KEY_FILE: 'client.key',
      }),
    ).toMatchObject({ tls: { certFile: 'client.pem', keyFile: 'client.key' } });
    expect(temporalConnectionConfigFromEnv({ FEDREPORT_TEMPORAL_API_KEY: 'secret' })).toMatchObject({
      tls: {},
      apiKey: 'secret',
    });
  });

  it('names the variable and the reason', () => {
    expect(issues({ FEDREPORT_TEMPORAL_ADDRESS: 'http://localhost' })).toEqual([
      { field: 'FEDREPORT_TEMPORAL_ADDRESS', reason: 'must be host:port (e.g. 127.0.0.1:7233)' },
    ]);
    expect(issues({ FEDREPORT_TEMPORAL_TLS_CERT_FILE: 'client.pem' })).toEqual([
      {
        field: 'FEDREPORT_TEMPORAL_TLS_CERT_FILE',
        reason: 'goes together with FEDREPORT_TEMPORAL_TLS_KEY_FILE (set both or neither)',
      },
    ]);
    expect(issues({ FEDREPORT_TEMPORAL_TLS: 'false', FEDREPORT_TEMPORAL_API_KEY: 'secret' })[0]?.field).toBe(
      'FEDREPORT_TEMPORAL_TLS',
    );
    expect(issues({ FEDREPORT_TEMPORAL_TLS: 'maybe' })).toEqual([
      { field: 'FEDREPORT_TEMPORAL_TLS', reason: 'must be true or false' },
    ]);
  });
});
