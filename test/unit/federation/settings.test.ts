/** Federation settings files: the example, inheritance of defaults, and every kind of mistake named by key and reason. */
import path from 'node:path';
import { loadFederationSettings, parseFederationSettings } from '../../../integrations/federation/loader';
import { practiceSettings } from '../../../integrations/federation/settings';
import { PROJECT_ROOT } from '../../../tooling/paths';
import { ValidationError, type FieldIssue } from '../../../domain/validation-error';

const HOURS = 3_600_000;

const minimal = (practice = 'name: Riverside Medical Centre\n        meshMailbox: X26ABC1') => `
version: 1
federations:
  exampleton:
    name: Exampleton Federation
    practices:
      Y90001:
        ${practice}
`;

function issuesOf(text: string): FieldIssue[] {
  try {
    parseFederationSettings(text, 'test.yaml');
  } catch (error) {
    if (error instanceof ValidationError) return error.issues;
    throw error;
  }
  throw new Error('expected a ValidationError');
}

describe('examples/federation.yaml', () => {
  it('loads: Exampleton Federation with Y90001-3 and their mailboxes, defaults applied', async () => {
    const settings = await loadFederationSettings(path.join(PROJECT_ROOT, 'examples', 'federation.yaml'));
    expect(settings.federations.map((f) => f.name)).toEqual([
      'Exampleton Federation',
      'Northbrook Federation',
    ]);
    expect(practiceSettings(settings, 'Y90001')).toEqual({
      odsCode: 'Y90001',
      name: 'Riverside Medical Centre',
      meshMailbox: 'X26ABC1',
      quietPeriodMs: 3 * HOURS,
      maxTotalWaitMs: null,
      federation: {
        id: 'exampleton',
        name: 'Exampleton Federation',
        memberOdsCodes: ['Y90001', 'Y90002', 'Y90003'],
      },
      reportOptions: { restrictedPatients: 'block', deceasedPatients: 'send', supersededNhsNumbers: 'block', spineMismatchAlert: false },
      receiving: { mode: 'when-filed', unfiledAlertAfterMs: 24 * HOURS },
    });
    expect(practiceSettings(settings, 'Y90002')?.meshMailbox).toBe('X26ABC2');
    expect(practiceSettings(settings, 'Y90003')?.meshMailbox).toBe('X26ABC3');
    expect(practiceSettings(settings, 'Y91001')).toMatchObject({
      quietPeriodMs: 1.5 * HOURS,
      maxTotalWaitMs: 24 * HOURS,
      federation: { id: 'northbrook' },
      receiving: { mode: 'on-receipt', unfiledAlertAfterMs: 48 * HOURS },
    });
    expect(practiceSettings(settings, 'Y99999')).toBeNull();
  });
});

describe('parsing', () => {
  it('report options: practice overrides federation, federation overrides the defaults', () => {
    const settings = parseFederationSettings(
      `
version: 1
federations:
  exampleton:
    name: Exampleton Federation
    reportOptions: { deceasedPatients: skip, restrictedPatients: skip }
    practices:
      Y90001: { name: A, meshMailbox: X26ABC1, reportOptions: { deceasedPatients: block } }
      Y90002: { name: B, meshMailbox: X26ABC2 }
`,
      'test.yaml',
    );
    expect(settings.practices.Y90001!.reportOptions).toEqual({
      restrictedPatients: 'skip',
      deceasedPatients: 'block',
      supersededNhsNumbers: 'block',
      spineMismatchAlert: false,
    });
    expect(settings.practices.Y90002!.reportOptions).toEqual({
      restrictedPatients: 'skip',
      deceasedPatients: 'skip',
      supersededNhsNumbers: 'block',
      spineMismatchAlert: false,
    });
  });

  it('reads JSON too', () => {
    const json = JSON.stringify({
      version: 1,
      federations: {
        f: { name: 'F', practices: { Y90001: { name: 'A', meshMailbox: 'X26ABC1', quietPeriod: '1s' } } },
      },
    });
    expect(parseFederationSettings(json, 'test.json').practices.Y90001!.quietPeriodMs).toBe(1_000);
  });

  it.each([
    ['3h', 3 * HOURS],
    ['90m', 1.5 * HOURS],
    ['1h30m', 1.5 * HOURS],
    ['1s', 1_000],
    ['2d', 48 * HOURS],
  ])('quiet period %s', (text, ms) => {
    expect(
      parseFederationSettings(
        minimal(`name: A\n        meshMailbox: X26ABC1\n        quietPeriod: ${text}`),
        't',
      ).practices.Y90001!.quietPeriodMs,
    ).toBe(ms);
  });
});

describe('each mistake names the key and the reason', () => {
  const practice = (extra: string) => minimal(`name: A\n        meshMailbox: X26ABC1\n        ${extra}`);

  it.each<[string, string, FieldIssue]>([
    [
      'wrong version',
      minimal().replace('version: 1', 'version: 2'),
      { field: 'version', reason: 'must be 1 (the settings format this release reads)' },
    ],
    [
      'missing version',
      minimal().replace('version: 1', ''),
      { field: 'version', reason: 'must be 1 (the settings format this release reads)' },
    ],
    [
      'bare number as duration',
      practice('quietPeriod: 3'),
      { field: 'federations.exampleton.practices.Y90001.quietPeriod', reason: 'must be string, got number' },
    ],
    [
      'unknown unit',
      practice('quietPeriod: 3 hours'),
      {
        field: 'federations.exampleton.practices.Y90001.quietPeriod',
        reason: 'must be a duration such as 3h, 90m, 1h30m or 45s',
      },
    ],
    [
      'zero quiet period',
      practice('quietPeriod: 0s'),
      { field: 'federations.exampleton.practices.Y90001.quietPeriod', reason: 'must be between 1s and 7d' },
    ],
    [
      'cap shorter than the quiet period',
      practice('quietPeriod: 3h\n        maxTotalWait: 2h'),
      {
        field: 'federations.exampleton.practices.Y90001.maxTotalWait',
        reason: 'must not be shorter than quietPeriod',
      },
    ],
    [
      'misspelt key',
      practice('quietPeriood: 3h'),
      { field: 'federations.exampleton.practices.Y90001', reason: 'has unknown field(s) quietPeriood' },
    ],
    [
      'missing mailbox',
      minimal('name: A'),
      { field: 'federations.exampleton.practices.Y90001.meshMailbox', reason: 'is required' },
    ],
    [
      'lower-case mailbox',
      minimal('name: A\n        meshMailbox: x26abc1'),
      {
        field: 'federations.exampleton.practices.Y90001.meshMailbox',
        reason: 'must be a MESH mailbox id (5-20 upper-case letters or digits)',
      },
    ],
    [
      'unknown report option value',
      practice('reportOptions: { deceasedPatients: maybe }'),
      {
        field: 'federations.exampleton.practices.Y90001.reportOptions.deceasedPatients',
        reason: 'must be one of send, block, skip',
      },
    ],
    [
      'bad ODS code',
      minimal().replace('Y90001:', 'y9-1:'),
      {
        field: 'federations.exampleton.practices.y9-1',
        reason: 'must be an ODS code (3-10 upper-case letters or digits)',
      },
    ],
    [
      'bad federation id',
      minimal().replace('exampleton:', 'Exampleton Federation:'),
      {
        field: 'federations.Exampleton Federation',
        reason: 'must be a federation id (lower-case letters, digits, hyphens)',
      },
    ],
    [
      'federation without practices',
      'version: 1\nfederations:\n  f:\n    name: F\n    practices: {}\n',
      { field: 'federations.f.practices', reason: 'needs at least one practice' },
    ],
    [
      'no federations',
      'version: 1\nfederations: {}\n',
      { field: 'federations', reason: 'needs at least one federation' },
    ],
  ])('%s', (_name, text, expected) => {
    expect(issuesOf(text)).toContainEqual(expected);
  });

  it('a practice in two federations', () => {
    const text = `
version: 1
federations:
  exampleton: { name: E, practices: { Y90001: { name: A, meshMailbox: X26ABC1 } } }
  northbrook: { name: N, practices: { Y90001: { name: A, meshMailbox: X26ABC1 } } }
`;
    expect(issuesOf(text)).toEqual([
      {
        field: 'federations.northbrook.practices.Y90001',
        reason: 'is already a member of federation exampleton; a practice belongs to one federation',
      },
    ]);
  });

  it('every problem is reported, not just the first', () => {
    expect(
      issuesOf(minimal('name: ""\n        meshMailbox: nope\n        quietPeriod: soon')).map((i) => i.field),
    ).toEqual([
      'federations.exampleton.practices.Y90001.name',
      'federations.exampleton.practices.Y90001.meshMailbox',
      'federations.exampleton.practices.Y90001.quietPeriod',
    ]);
  });

  it('YAML syntax errors give the line', () => {
    const [issue] = issuesOf('version: 1\nfederations:\n  exampleton: [\n');
    expect(issue!.field).toBe('(root)');
    expect(issue!.reason).toMatch(/^is not valid YAML \(\w+ at line \d+, column \d+\)$/);
  });

  it('a duplicated practice key is a YAML error', () => {
    expect(
      issuesOf(
        minimal().replace('      Y90001:', '      Y90002: { name: B, meshMailbox: X26ABC2 }\n      Y90002:'),
      )[0]!.reason,
    ).toMatch(/DUPLICATE_KEY/);
  });

  it('an unreadable file', async () => {
    await expect(
      loadFederationSettings(path.join(PROJECT_ROOT, 'examples', 'no-such-file.yaml')),
    ).rejects.toMatchObject({
      issues: [{ field: '(file)', reason: 'cannot be read (ENOENT)' }],
    });
  });

  it('the error message lists every key and reason', () => {
    expect(() => parseFederationSettings(minimal('name: A'), 'practices.yaml')).toThrow(
      'practices.yaml is invalid: federations.exampleton.practices.Y90001.meshMailbox: is required',
    );
  });
});
