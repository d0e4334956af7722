/** PDS settings are FEDREPORT_PDS_*; the PDS_* names of earlier releases still work, with a deprecation warning. */
import { PDS_ENV_SUFFIXES, pdsConfigFromEnv, type PdsConfig } from '../../../integrations/pds/config';
import { PDS_BASE, SIGNED_JWT_CONFIG, signedJwtEnv } from '../../support/pds-settings';
import { validationIssues } from '../../support/validation-issues';

const BASE = PDS_BASE;
const OLD_BASE = 'https://sandbox.api.service.nhs.uk/personal-demographics/FHIR/R4';
const signedJwt = signedJwtEnv;

/** The config and every warning it was read with. */
function read(env: NodeJS.ProcessEnv): { config: PdsConfig; warnings: string[] } {
  const warnings: string[] = [];
  const config = pdsConfigFromEnv(env, (message) => warnings.push(message));
  return { config, warnings };
}

describe('pdsConfigFromEnv: FEDREPORT_PDS_* names', () => {
  it('reads every setting from the new names, without warnings', () => {
    expect(read(signedJwt('FEDREPORT_PDS_'))).toEqual({ config: SIGNED_JWT_CONFIG, warnings: [] });
  });

  it('ignores look-alike variables that are not PDS client settings', () => {
    const { warnings } = read({
      FEDREPORT_PDS_BASE_URL: BASE,
      FEDREPORT_PDS_PORT: '9000', // the local stack's PDS double port
      PDS_DOUBLE_PORT: '9000', // the PDS double's own settings
      PDS_DOUBLE_HOST: '127.0.0.1',
    });
    expect(warnings).toEqual([]);
  });
});

describe('pdsConfigFromEnv: deprecated PDS_* names', () => {
  it('still reads every old name, with one warning per old name that names the new one', () => {
    const { config, warnings } = read(signedJwt('PDS_'));
    expect(config).toEqual(SIGNED_JWT_CONFIG);
    const suffixes = PDS_ENV_SUFFIXES;
    expect(warnings).toHaveLength(suffixes.length);
    for (const suffix of suffixes) {
      expect(warnings.filter((w) => w.startsWith(`PDS_${suffix} is deprecated`))).toEqual([
        expect.stringContaining(`FEDREPORT_PDS_${suffix}`),
      ]);
    }
  });

  it('never puts a value in a warning', () => {
    const { warnings } = read(signedJwt('PDS_'));
    for (const value of Object.values(signedJwt('PDS_')).filter((v) => v !== 'signed-jwt')) {
      for (const warning of warnings) expect(warning).not.toContain(value);
    }
  });

  it('mixes old and new names, warning only about the old ones', () => {
    const { config, warnings } = read({ FEDREPORT_PDS_BASE_URL: BASE, PDS_TIMEOUT_MS: '5000' });
    expect(config).toEqual({ baseUrl: BASE, timeoutMs: 5_000, auth: { mode: 'none' } });
    expect(warnings).toEqual([
      expect.stringMatching(/^PDS_TIMEOUT_MS is deprecated.*FEDREPORT_PDS_TIMEOUT_MS/),
    ]);
  });

  it('when both are set the new name wins, with a warning that the old one is ignored', () => {
    const { config, warnings } = read({
      FEDREPORT_PDS_BASE_URL: BASE,
      PDS_BASE_URL: OLD_BASE,
      FEDREPORT_PDS_TIMEOUT_MS: '5000',
      PDS_TIMEOUT_MS: '100',
    });
    expect(config).toEqual({ baseUrl: BASE, timeoutMs: 5_000, auth: { mode: 'none' } });
    expect(warnings).toEqual([
      expect.stringMatching(/^PDS_BASE_URL is deprecated and ignored because FEDREPORT_PDS_BASE_URL is set/),
      expect.stringMatching(
        /^PDS_TIMEOUT_MS is deprecated and ignored because FEDREPORT_PDS_TIMEOUT_MS is set/,
      ),
    ]);
    for (const warning of warnings) expect(warning).not.toContain(OLD_BASE);
  });

  it('an empty new name counts as unset, so the old one is used', () => {
    const { config, warnings } = read({ FEDREPORT_PDS_BASE_URL: '', PDS_BASE_URL: BASE });
    expect(config.baseUrl).toBe(BASE);
    expect(warnings).toEqual([
      expect.stringMatching(/^PDS_BASE_URL is deprecated; rename it to FEDREPORT_PDS_BASE_URL/),
    ]);
  });

  it('names the variable actually set in validation errors, and the new name for missing ones', () => {
    const issues = validationIssues(() =>
      pdsConfigFromEnv({ PDS_BASE_URL: 'not a url', FEDREPORT_PDS_AUTH: 'signed-jwt' }, () => undefined),
    );
    expect(issues.map((i) => i.field)).toEqual([
      'PDS_BASE_URL',
      'FEDREPORT_PDS_API_KEY',
      'FEDREPORT_PDS_KEY_ID',
      'FEDREPORT_PDS_PRIVATE_KEY_FILE',
      'FEDREPORT_PDS_TOKEN_URL',
    ]);
  });

  it('warns through process.emitWarning as a DeprecationWarning by default', () => {
    const emitWarning = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      pdsConfigFromEnv({ PDS_BASE_URL: BASE });
      expect(emitWarning).toHaveBeenCalledTimes(1);
      expect(emitWarning).toHaveBeenCalledWith(
        expect.stringContaining('FEDREPORT_PDS_BASE_URL'),
        expect.objectContaining({ type: 'DeprecationWarning' }),
      );
    } finally {
      emitWarning.mockRestore();
    }
  });
});
