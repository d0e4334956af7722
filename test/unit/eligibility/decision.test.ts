/** The eligibility decision table (docs/eligibility.md): every outcome and reason, and the options that steer them. */
import {
  DEFAULT_REPORT_OPTIONS,
  decideBeforeLookup,
  decideEligibility,
  explainDecision,
  type DecisionKey,
  type EligibilityDecision,
  type EligibilityInput,
  type HostingPracticeSettings,
  type ReportOptions,
  type SpineLookup,
  type SpinePatient,
} from '../../../domain/eligibility';

const exampleton = (options: Partial<ReportOptions> = {}): HostingPracticeSettings => ({
  federation: { name: 'Exampleton Federation', memberOdsCodes: ['Y90001', 'Y90002', 'Y90003'] },
  reportOptions: { ...DEFAULT_REPORT_OPTIONS, ...options },
});

const patient = (overrides: Partial<SpinePatient> = {}): SpineLookup => ({
  status: 'found',
  patient: {
    superseded: false,
    securityLabel: 'U',
    registeredPracticeOds: 'Y90002',
    deceasedAt: null,
    ...overrides,
  },
});

const input = (overrides: Partial<EligibilityInput> = {}): EligibilityInput => ({
  registrationType: 'T',
  hostingOds: 'Y90001',
  consultationStartedAt: '2026-11-20T10:15:00Z',
  hostingPractice: exampleton(),
  pds: patient(),
  ...overrides,
});

const required = (
  overrides: Partial<Extract<EligibilityDecision, { outcome: 'required' }>> = {},
): EligibilityDecision => ({
  outcome: 'required',
  reason: 'registered-practice-in-federation',
  registeredPracticeOds: 'Y90002',
  federationName: 'Exampleton Federation',
  nhsNumberSuperseded: false,
  patientDeceased: false,
  ...overrides,
});

const TABLE: [string, EligibilityInput, EligibilityDecision][] = [
  // Rule 083: regular registration, decided before (and regardless of) PDS.
  [
    'regular registration',
    input({ registrationType: 'R', pds: { status: 'not-found' } }),
    { outcome: 'not-required', reason: 'regular-registration' },
  ],
  [
    'regular registration at an unconfigured practice',
    input({ registrationType: 'R', hostingPractice: null }),
    { outcome: 'not-required', reason: 'regular-registration' },
  ],
  [
    'hosting practice in no federation',
    input({ hostingPractice: null }),
    { outcome: 'blocked', reason: 'hosting-practice-not-configured' },
  ],
  // Rule 084: PDS answers that leave no practice to report to.
  [
    'PDS: invalid NHS number',
    input({ pds: { status: 'invalid-nhs-number' } }),
    { outcome: 'blocked', reason: 'invalid-nhs-number' },
  ],
  [
    'PDS: patient not found',
    input({ pds: { status: 'not-found' } }),
    { outcome: 'blocked', reason: 'patient-not-found' },
  ],
  [
    'PDS: record invalidated',
    input({ pds: { status: 'invalidated' } }),
    { outcome: 'blocked', reason: 'patient-invalidated' },
  ],
  // Superseded NHS number.
  [
    'superseded number, default (block)',
    input({ pds: patient({ superseded: true }) }),
    { outcome: 'blocked', reason: 'nhs-number-superseded' },
  ],
  [
    'superseded number, use-current-number',
    input({
      pds: patient({ superseded: true }),
      hostingPractice: exampleton({ supersededNhsNumbers: 'use-current-number' }),
    }),
    required({ nhsNumberSuperseded: true }),
  ],
  // Restricted records: the practice is withheld.
  [
    'restricted R, default (block)',
    input({ pds: patient({ securityLabel: 'R', registeredPracticeOds: null }) }),
    { outcome: 'blocked', reason: 'restricted-record', securityLabel: 'R' },
  ],
  [
    'very restricted V, default (block)',
    input({ pds: patient({ securityLabel: 'V', registeredPracticeOds: null }) }),
    { outcome: 'blocked', reason: 'restricted-record', securityLabel: 'V' },
  ],
  [
    'restricted R, skip',
    input({
      pds: patient({ securityLabel: 'R', registeredPracticeOds: null }),
      hostingPractice: exampleton({ restrictedPatients: 'skip' }),
    }),
    { outcome: 'not-required', reason: 'restricted-record', securityLabel: 'R' },
  ],
  [
    'restricted even if a practice came through: still the restricted rule',
    input({ pds: patient({ securityLabel: 'V' }) }),
    { outcome: 'blocked', reason: 'restricted-record', securityLabel: 'V' },
  ],
  // Deceased.
  [
    'died after the consultation, default (send)',
    input({ pds: patient({ deceasedAt: '2026-11-20T18:40:00+00:00' }) }),
    required({ patientDeceased: true }),
  ],
  [
    'died the same day, earlier hour: still send',
    input({ pds: patient({ deceasedAt: '2026-11-20T08:00:00+00:00' }) }),
    required({ patientDeceased: true }),
  ],
  [
    'died after the consultation, block',
    input({
      pds: patient({ deceasedAt: '2026-11-20T18:40:00+00:00' }),
      hostingPractice: exampleton({ deceasedPatients: 'block' }),
    }),
    { outcome: 'blocked', reason: 'deceased' },
  ],
  [
    'died after the consultation, skip',
    input({
      pds: patient({ deceasedAt: '2026-11-20T18:40:00+00:00' }),
      hostingPractice: exampleton({ deceasedPatients: 'skip' }),
    }),
    { outcome: 'not-required', reason: 'deceased' },
  ],
  [
    'died before the consultation day: blocked whatever the options',
    input({
      pds: patient({ deceasedAt: '2010-10-22T00:00:00+00:00' }),
      hostingPractice: exampleton({ deceasedPatients: 'skip' }),
    }),
    { outcome: 'blocked', reason: 'died-before-consultation' },
  ],
  // Rules 084/085 and the hosting practice itself.
  [
    'no current registered practice',
    input({ pds: patient({ registeredPracticeOds: null }) }),
    { outcome: 'not-required', reason: 'no-registered-practice' },
  ],
  [
    'registered at the hosting practice',
    input({ pds: patient({ registeredPracticeOds: 'Y90001' }) }),
    { outcome: 'not-required', reason: 'registered-at-hosting-practice', registeredPracticeOds: 'Y90001' },
  ],
  [
    'registered outside the federation',
    input({ pds: patient({ registeredPracticeOds: 'Y91001' }) }),
    { outcome: 'not-required', reason: 'outside-federation', registeredPracticeOds: 'Y91001' },
  ],
  ['registered at another practice of the federation', input(), required()],
  [
    'emergency registration is not regular',
    input({ registrationType: 'E', pds: patient({ registeredPracticeOds: 'Y90003' }) }),
    required({ registeredPracticeOds: 'Y90003' }),
  ],
  ['private registration is not regular', input({ registrationType: 'P' }), required()],
];

describe('decideEligibility', () => {
  it.each(TABLE)('%s', (_name, facts, expected) => {
    expect(decideEligibility(facts)).toEqual(expected);
  });

  it('the table covers every outcome/reason pair the type allows', () => {
    const all: Record<DecisionKey, true> = {
      'required/registered-practice-in-federation': true,
      'not-required/regular-registration': true,
      'not-required/registered-at-hosting-practice': true,
      'not-required/outside-federation': true,
      'not-required/no-registered-practice': true,
      'not-required/restricted-record': true,
      'not-required/deceased': true,
      'blocked/hosting-practice-not-configured': true,
      'blocked/invalid-nhs-number': true,
      'blocked/patient-not-found': true,
      'blocked/patient-invalidated': true,
      'blocked/nhs-number-superseded': true,
      'blocked/died-before-consultation': true,
      'blocked/deceased': true,
      'blocked/restricted-record': true,
    };
    const covered = new Set(TABLE.map(([, , d]) => `${d.outcome}/${d.reason}`));
    expect([...covered].sort()).toEqual(Object.keys(all).sort());
  });

  it('explains every decision in a sentence that starts with the verdict and carries no patient data', () => {
    for (const [, facts, decision] of TABLE) {
      const text = explainDecision(decision);
      expect(text).toMatch(/^(report required|no report|blocked): /);
      expect(text).not.toMatch(/\d{10}/); // no NHS number
      if (facts.pds.status === 'found') expect(text).not.toContain(facts.pds.patient.deceasedAt ?? '\u0000');
    }
  });
});

describe('decideBeforeLookup', () => {
  it('decides a regular registration and an unconfigured practice without PDS', () => {
    expect(decideBeforeLookup(input({ registrationType: 'R' }))).toEqual({
      outcome: 'not-required',
      reason: 'regular-registration',
    });
    expect(decideBeforeLookup(input({ hostingPractice: null }))).toEqual({
      outcome: 'blocked',
      reason: 'hosting-practice-not-configured',
    });
  });

  it('asks for the lookup otherwise', () => {
    expect(decideBeforeLookup(input())).toBeNull();
  });
});
