/**
 * The patients the PDS double knows: the official sandbox's scenarios (same NHS numbers and the facts that matter
 * for eligibility, written here rather than copied) and the project's synthetic patients registered at the example
 * federation's practices (examples/federation.yaml). All names, dates and numbers are synthetic test data.
 */
import { nhsNumberProblem } from '../../domain/nhs-number';

/** The official sandbox's scenario numbers (PDS API specification, "Sandbox test scenarios"). */
export const SANDBOX_PATIENTS = {
  /** Full record: GP Y12345 whose period ended 2021-12-31, deceased, removed from registration (Scotland). */
  fullRecord: '9000000009',
  /** Restricted (R): no address, telecom or GP; also deceased. */
  restricted: '9000000025',
  /** Minimal record: identifier and meta only. */
  minimal: '9000000033',
  /** Valid number without a record: 404 RESOURCE_NOT_FOUND (as is every other valid unknown number). */
  notFound: '9111231130',
  /** Fails the Modulus 11 check: 400 INVALID_RESOURCE_ID. */
  invalid: '9000000000',
} as const;

/** The project's synthetic patients; the first three are the example consultation snapshots' patients. */
export const SYNTHETIC_PATIENTS = {
  /** Registered at Y90002, in the same federation as the hosting practice Y90001. */
  atY90002: '9990000018',
  /** Registered at Y90003, same federation. */
  atY90003: '9990000026',
  /** Registered at the hosting practice Y90001 itself. */
  atHostingPractice: '9990000034',
  /** Registered at Y91001, a practice of another federation. */
  outsideFederation: '9990000042',
  /** Restricted (R): PDS withholds the GP. */
  restricted: '9990000050',
  /** Very restricted (V). */
  veryRestricted: '9990000069',
  /** Registered at Y90002; died on 2026-11-20 at 18:40, after the example consultations that morning. */
  deceased: '9990000077',
  /** Superseded: PDS answers with the record of `supersededBy`. */
  superseded: '9990000085',
  /** The record that replaced `superseded`; registered at Y90003. */
  supersededBy: '9990000093',
  /** Invalidated without a successor: 404 INVALIDATED_RESOURCE. */
  invalidated: '9990000107',
  /** Moved from Y91001 (period ended 2025-06-30) to Y90002: only the current period counts. */
  changedPractice: '9990000115',
  /** No registered practice: the last registration ended. */
  noCurrentPractice: '9990000123',
  /** The two-page example snapshot's patient: registered at Y90003. */
  twoPageExample: '9990000131',
  /** The confidential-items example snapshot's patient: registered at Y90002. */
  confidentialItemsExample: '9990000158',
} as const;

type SecurityLabel = 'U' | 'R' | 'V';

interface Registration {
  ods: string;
  start: string;
  end?: string;
}

export interface PatientSpec {
  nhsNumber: string;
  prefix?: string;
  given: string[];
  family: string;
  gender: 'male' | 'female' | 'other' | 'unknown';
  birthDate: string;
  security?: SecurityLabel;
  registrations?: Registration[];
  deceasedAt?: string;
  address?: { line: string[]; postalCode?: string };
  phone?: string;
  /** Extensions besides the death notification, which `deceasedAt` adds. */
  extensions?: object[];
  /** Extra top-level FHIR elements (managingOrganization...) for the sandbox's richer record. */
  more?: Record<string, unknown>;
}

export type PatientScenario = { kind: 'record'; resource: Record<string, unknown> } | { kind: 'invalidated' };

const SECURITY_DISPLAY: Record<SecurityLabel, string> = {
  U: 'unrestricted',
  R: 'restricted',
  V: 'very restricted',
};

const odsIdentifier = (r: Registration) => ({
  system: 'https://fhir.nhs.uk/Id/ods-organization-code',
  value: r.ods,
  period: { start: r.start, ...(r.end ? { end: r.end } : {}) },
});

const deathNotification = (effective: string) => ({
  url: 'https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-DeathNotificationStatus',
  extension: [
    {
      url: 'deathNotificationStatus',
      valueCodeableConcept: {
        coding: [
          {
            system: 'https://fhir.hl7.org.uk/CodeSystem/UKCore-DeathNotificationStatus',
            version: '1.0.0',
            code: '2',
            display: 'Formal - death notice received from Registrar of Deaths',
          },
        ],
      },
    },
    { url: 'systemEffectiveDate', valueDateTime: effective },
  ],
});

/** A PDS R4 Patient. Like PDS, restricted records (R, V) lose address, telecom and generalPractitioner. */
export function fhirPatient(spec: PatientSpec): Record<string, unknown> {
  const security = spec.security ?? 'U';
  const locationVisible = security === 'U';
  const since = spec.registrations?.[0]?.start ?? spec.birthDate;
  const extensions = [
    ...(spec.deceasedAt ? [deathNotification(spec.deceasedAt)] : []),
    ...(spec.extensions ?? []),
  ];
  return {
    resourceType: 'Patient',
    id: spec.nhsNumber,
    identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: spec.nhsNumber }],
    meta: {
      versionId: '2',
      security: [
        {
          system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality',
          code: security,
          display: SECURITY_DISPLAY[security],
        },
      ],
    },
    name: [
      {
        use: 'usual',
        period: { start: since },
        ...(spec.prefix ? { prefix: [spec.prefix] } : {}),
        given: spec.given,
        family: spec.family,
      },
    ],
    gender: spec.gender,
    birthDate: spec.birthDate,
    ...(spec.deceasedAt ? { deceasedDateTime: spec.deceasedAt } : {}),
    ...(extensions.length ? { extension: extensions } : {}),
    ...(locationVisible && spec.address
      ? { address: [{ use: 'home', period: { start: since }, ...spec.address }] }
      : {}),
    ...(locationVisible && spec.phone
      ? { telecom: [{ system: 'phone', use: 'home', value: spec.phone, period: { start: since } }] }
      : {}),
    ...(locationVisible && spec.registrations?.length
      ? {
          generalPractitioner: spec.registrations.map((r) => ({
            type: 'Organization',
            identifier: odsIdentifier(r),
          })),
        }
      : {}),
    ...spec.more,
  };
}

const sandboxFullRecord = fhirPatient({
  nhsNumber: SANDBOX_PATIENTS.fullRecord,
  prefix: 'Mrs',
  given: ['Jane'],
  family: 'Smith',
  gender: 'female',
  birthDate: '2010-10-22',
  registrations: [{ ods: 'Y12345', start: '2020-01-01', end: '2021-12-31' }],
  deceasedAt: '2010-10-22T00:00:00+00:00',
  address: {
    line: ['1 Trevelyan Square', 'Boar Lane', 'City Centre', 'Leeds', 'West Yorkshire'],
    postalCode: 'LS1 6AE',
  },
  phone: '01632960587',
  more: {
    multipleBirthInteger: 1,
    managingOrganization: {
      type: 'Organization',
      identifier: odsIdentifier({ ods: 'Y12345', start: '2020-01-01', end: '2021-12-31' }),
    },
  },
  extensions: [
    {
      url: 'https://fhir.nhs.uk/StructureDefinition/Extension-PDS-RemovalFromRegistration',
      extension: [
        {
          url: 'removalFromRegistrationCode',
          valueCodeableConcept: {
            coding: [
              {
                system: 'https://fhir.nhs.uk/CodeSystem/PDS-RemovalReasonExitCode',
                code: 'SCT',
                display: 'Transferred to Scotland',
              },
            ],
          },
        },
        {
          url: 'effectiveTime',
          valuePeriod: { start: '2020-01-01T00:00:00+00:00', end: '2021-12-31T00:00:00+00:00' },
        },
      ],
    },
  ],
});

const supersededBy = fhirPatient({
  nhsNumber: SYNTHETIC_PATIENTS.supersededBy,
  prefix: 'Ms',
  given: ['Imogen'],
  family: 'Castellano',
  gender: 'female',
  birthDate: '1991-05-09',
  registrations: [{ ods: 'Y90003', start: '2018-02-12' }],
  address: { line: ['27 Mill Lane'], postalCode: 'EX3 7DD' },
});

const RECORDS: Record<string, Record<string, unknown>> = {
  [SANDBOX_PATIENTS.fullRecord]: sandboxFullRecord,
  [SANDBOX_PATIENTS.restricted]: fhirPatient({
    nhsNumber: SANDBOX_PATIENTS.restricted,
    prefix: 'Mrs',
    given: ['Janet'],
    family: 'Smythe',
    gender: 'female',
    birthDate: '2010-10-22',
    security: 'R',
    deceasedAt: '2010-10-22T00:00:00+00:00',
    more: { multipleBirthInteger: 1 },
  }),
  [SANDBOX_PATIENTS.minimal]: {
    resourceType: 'Patient',
    id: SANDBOX_PATIENTS.minimal,
    identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: SANDBOX_PATIENTS.minimal }],
    meta: {
      versionId: '2',
      security: [
        {
          system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality',
          code: 'U',
          display: 'unrestricted',
        },
      ],
    },
  },
  [SYNTHETIC_PATIENTS.atY90002]: fhirPatient({
    nhsNumber: SYNTHETIC_PATIENTS.atY90002,
    prefix: 'Mrs',
    given: ['Eleanor', 'Rose'],
    family: 'Whitfield',
    gender: 'female',
    birthDate: '1958-03-14',
    registrations: [{ ods: 'Y90002', start: '2009-04-01' }],
    address: { line: ['12 Hill Road', 'Exampleton'], postalCode: 'EX2 4BB' },
    phone: '01632960123',
  }),
  [SYNTHETIC_PATIENTS.atY90003]: fhirPatient({
    nhsNumber: SYNTHETIC_PATIENTS.atY90003,
    prefix: 'Mr',
    given: ['Tomás'],
    family: "O'Brien-Ngata",
    gender: 'male',
    birthDate: '1984-07-02',
    registrations: [{ ods: 'Y90003', start: '2016-09-19' }],
    address: { line: ['4 Orchard Close', 'Exampleton'], postalCode: 'EX4 1EE' },
  }),
  [SYNTHETIC_PATIENTS.twoPageExample]: fhirPatient({
    nhsNumber: SYNTHETIC_PATIENTS.twoPageExample,
    prefix: 'Ms',
    given: ['Margaret', 'Ann'],
    family: 'Lindqvist',
    gender: 'female',
    birthDate: '1961-05-09',
    registrations: [{ ods: 'Y90003', start: '2012-02-06' }],
    address: { line: ['27 Mill Lane', 'Exampleton'], postalCode: 'EX3 2DD' },
  }),
  [SYNTHETIC_PATIENTS.confidentialItemsExample]: fhirPatient({
    nhsNumber: SYNTHETIC_PATIENTS.confidentialItemsExample,
    prefix: 'Mr',
    given: ['Dmitri'],
    family: 'Sokolov',
    gender: 'male',
    birthDate: '1990-02-17',
    registrations: [{ ods: 'Y90002', start: '2019-10-01' }],
    address: { line: ['5 Station Road', 'Exampleton'], postalCode: 'EX2 6FF' },
  }),
  [SYNTHETIC_PATIENTS.atHostingPractice]: fhirPatient({
    nhsNumber: SYNTHETIC_PATIENTS.atHostingPractice,
    given: ['Harold'],
    family: 'Bennett',
    gender: 'male',
    birthDate: '1949-11-30',
    registrations: [{ ods: 'Y90001', start: '1995-01-16' }],
    address: { line: ['2 Riverside Walk', 'Exampleton'], postalCode: 'EX1 1AB' },
  }),
  [SYNTHETIC_PATIENTS.outsideFederation]: fhirPatient({
    nhsNumber: SYNTHETIC_PATIENTS.outsideFederation,
    prefix: 'Dr',
    given: ['Priya'],
    family: 'Raman',
    gender: 'female',
    birthDate: '1979-12-01',
    registrations: [{ ods: 'Y91001', start: '2012-03-05' }],
    address: { line: ['9 Station Road', 'Northbrook'], postalCode: 'NB1 2FF' },
  }),
  [SYNTHETIC_PATIENTS.restricted]: fhirPatient({
    nhsNumber: SYNTHETIC_PATIENTS.restricted,
    given: ['Alex'],
    family: 'Morrow',
    gender: 'unknown',
    birthDate: '1990-01-20',
    security: 'R',
    registrations: [{ ods: 'Y90002', start: '2020-06-01' }],
  }),
  [SYNTHETIC_PATIENTS.veryRestricted]: fhirPatient({
    nhsNumber: SYNTHETIC_PATIENTS.veryRestricted,
    given: ['Sam'],
    family: 'Ellery',
    gender: 'other',
    birthDate: '1987-08-08',
    security: 'V',
    registrations: [{ ods: 'Y90003', start: '2021-02-01' }],
  }),
  [SYNTHETIC_PATIENTS.deceased]: fhirPatient({
    nhsNumber: SYNTHETIC_PATIENTS.deceased,
    prefix: 'Mr',
    given: ['Walter'],
    family: 'Pryce',
    gender: 'male',
    birthDate: '1931-02-27',
    registrations: [{ ods: 'Y90002', start: '1970-10-01' }],
    deceasedAt: '2026-11-20T18:40:00+00:00',
    address: { line: ['The Old Forge', 'Exampleton'], postalCode: 'EX5 3GG' },
  }),
  // PDS answers a superseded number with the record that replaced it.
  [SYNTHETIC_PATIENTS.superseded]: supersededBy,
  [SYNTHETIC_PATIENTS.supersededBy]: supersededBy,
  [SYNTHETIC_PATIENTS.changedPractice]: fhirPatient({
    nhsNumber: SYNTHETIC_PATIENTS.changedPractice,
    prefix: 'Miss',
    given: ['Chloe'],
    family: 'Adeyemi',
    gender: 'female',
    birthDate: '2001-04-30',
    registrations: [
      { ods: 'Y91001', start: '2019-09-01', end: '2025-06-30' },
      { ods: 'Y90002', start: '2025-07-01' },
    ],
    address: { line: ['Flat 2, 15 Market Street', 'Exampleton'], postalCode: 'EX1 3HH' },
  }),
  [SYNTHETIC_PATIENTS.noCurrentPractice]: fhirPatient({
    nhsNumber: SYNTHETIC_PATIENTS.noCurrentPractice,
    prefix: 'Mr',
    given: ['Owen'],
    family: 'Lytton',
    gender: 'male',
    birthDate: '1966-06-16',
    registrations: [{ ods: 'Y90003', start: '2004-01-12', end: '2024-03-31' }],
  }),
};

const INVALIDATED = new Set<string>([SYNTHETIC_PATIENTS.invalidated]);

/** FHIR Patient records by NHS number, e.g. the ones a patients file adds (patients-file.ts). */
export type PatientRecords = Readonly<Record<string, Record<string, unknown>>>;

/** Whether the double knows this NHS number without a patients file. */
export function isBuiltInPatient(nhsNumber: string): boolean {
  return Object.hasOwn(RECORDS, nhsNumber) || INVALIDATED.has(nhsNumber);
}

/** The double's answer for a valid NHS number; undefined means 404 RESOURCE_NOT_FOUND. */
export function patientScenario(nhsNumber: string, added: PatientRecords = {}): PatientScenario | undefined {
  if (INVALIDATED.has(nhsNumber)) return { kind: 'invalidated' };
  const resource = RECORDS[nhsNumber] ?? added[nhsNumber];
  return resource ? { kind: 'record', resource } : undefined;
}

// A mistyped fixture number would silently turn into a 400 scenario; fail when the module loads instead.
for (const nhsNumber of [...Object.keys(RECORDS), ...INVALIDATED]) {
  const problem = nhsNumberProblem(nhsNumber);
  if (problem) throw new Error(`PDS double fixture ${nhsNumber} ${problem}`);
}
