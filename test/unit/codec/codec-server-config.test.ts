import { codecServerConfigFromEnv } from '../../../client/codec-server/config';
import { validationIssues } from '../../support/validation-issues';

const TOKEN = 'codec-token-0123456789abcdef';
const OIDC = {
  FEDREPORT_CODEC_OIDC_ISSUER: 'https://idp.example.test/realms/fedreport',
  FEDREPORT_CODEC_OIDC_AUDIENCE: 'fedreport-codec',
  FEDREPORT_CODEC_OIDC_JWKS_URL: 'https://idp.example.test/realms/fedreport/protocol/openid-connect/certs',
};

const issues = (env: NodeJS.ProcessEnv) => validationIssues(() => codecServerConfigFromEnv(env));

describe('codec server settings: static tokens', () => {
  it('accepts a static token on loopback, the default address', () => {
    expect(codecServerConfigFromEnv({ FEDREPORT_CODEC_SERVER_TOKENS: TOKEN })).toMatchObject({
      host: '127.0.0.1',
      tokens: [TOKEN],
    });
  });

  it('refuses to start with a static token on a non-loopback address', () => {
    const found = issues({ FEDREPORT_CODEC_SERVER_TOKENS: TOKEN, FEDREPORT_CODEC_SERVER_HOST: '0.0.0.0' });
    expect(found).toEqual([
      {
        field: 'FEDREPORT_CODEC_SERVER_TOKENS',
        reason: expect.stringMatching(
          /loopback.*0\.0\.0\.0.*FEDREPORT_CODEC_SERVER_ALLOW_TOKENS_OFF_LOOPBACK=true/,
        ),
      },
    ]);
  });

  it('starts with a static token off loopback only when explicitly allowed', () => {
    const config = codecServerConfigFromEnv({
      FEDREPORT_CODEC_SERVER_TOKENS: TOKEN,
      FEDREPORT_CODEC_SERVER_HOST: '0.0.0.0',
      FEDREPORT_CODEC_SERVER_ALLOW_TOKENS_OFF_LOOPBACK: 'true',
    });
    expect(config.tokens).toEqual([TOKEN]);
  });

  it('needs static tokens or OIDC settings', () => {
    expect(issues({})).toEqual([
      { field: 'FEDREPORT_CODEC_SERVER_TOKENS', reason: expect.stringContaining('FEDREPORT_CODEC_OIDC_*') },
    ]);
  });
});

describe('codec server settings: UI access tokens (OIDC)', () => {
  it('accepts the OIDC settings alone, on any address', () => {
    const config = codecServerConfigFromEnv({ ...OIDC, FEDREPORT_CODEC_SERVER_HOST: '0.0.0.0' });
    expect(config.tokens).toEqual([]);
    expect(config.accessTokens).toEqual({
      issuer: OIDC.FEDREPORT_CODEC_OIDC_ISSUER,
      audience: OIDC.FEDREPORT_CODEC_OIDC_AUDIENCE,
      jwksUrl: new URL(OIDC.FEDREPORT_CODEC_OIDC_JWKS_URL),
    });
  });

  it('names the missing settings of a partial OIDC setup', () => {
    expect(
      issues({ FEDREPORT_CODEC_OIDC_ISSUER: OIDC.FEDREPORT_CODEC_OIDC_ISSUER }).map((i) => i.field),
    ).toEqual(['FEDREPORT_CODEC_OIDC_AUDIENCE', 'FEDREPORT_CODEC_OIDC_JWKS_URL']);
  });

  it('fetches the JWKS over https, or http on loopback only', () => {
    expect(issues({ ...OIDC, FEDREPORT_CODEC_OIDC_JWKS_URL: 'http://idp.example.test/certs' })).toEqual([
      { field: 'FEDREPORT_CODEC_OIDC_JWKS_URL', reason: expect.stringContaining('https://') },
    ]);
    const local = codecServerConfigFromEnv({
      ...OIDC,
      FEDREPORT_CODEC_OIDC_JWKS_URL: 'http://127.0.0.1:8180/certs',
    });
    expect(local.accessTokens?.jwksUrl.href).toBe('http://127.0.0.1:8180/certs');
  });
});
