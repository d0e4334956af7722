/**
 * The parts of a PDS R4 Patient that report eligibility needs, parsed with zod and reduced to a small summary.
 * The schema names only the fields read here and lets everything else through: PDS adds extensions over time.
 */
import { z } from 'zod';
import { fieldIssuesFromZod } from '../../domain/validation-error';
import { PdsUnexpectedResponseError } from './errors';

const ODS_SYSTEM = 'https://fhir.nhs.uk/Id/ods-organization-code';
const CONFIDENTIALITY_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality';

/** PDS security labels: U unrestricted, R restricted (location withheld), V very restricted. */
export const securityLabelSchema = z.enum(['U', 'R', 'V']);
export type SecurityLabel = z.infer<typeof securityLabelSchema>;

/** A FHIR date or dateTime; periods are compared by calendar date. */
const fhirDate = z.string().regex(/^\d{4}(-\d{2}(-\d{2}(T.+)?)?)?$/, 'must be a FHIR date or dateTime');

const periodSchema = z.object({ start: fhirDate.optional(), end: fhirDate.optional() });

const organisationReferenceSchema = z.object({
  identifier: z.object({ system: z.string(), value: z.string().min(1), period: periodSchema.optional() }),
});

const patientSchema = z.object({
  resourceType: z.literal('Patient'),
  id: z.string().regex(/^\d{10}$/, 'must be a 10-digit NHS number'),
  meta: z
    .object({
      versionId: z.string().optional(),
      security: z.array(z.object({ system: z.string().optional(), code: z.string() })).optional(),
    })
    .optional(),
  deceasedDateTime: fhirDate.optional(),
  birthDate: fhirDate.optional(),
  name: z.array(z.object({ use: z.string().optional(), family: z.string().optional(), period: periodSchema.optional() })).optional(),
  generalPractitioner: z.array(organisationReferenceSchema).optional(),
});

/** What eligibility needs to know about a patient. Carries an NHS number: never log it. */
export interface PdsPatient {
  /** The NHS number of the record PDS returned; differs from the requested one when that one was superseded. */
  nhsNumber: string;
  superseded: boolean;
  securityLabel: SecurityLabel;
  /** ODS code of the practice the patient is registered at today; null when none is current or PDS withheld it. */
  registeredPracticeOds: string | null;
  /** ODS codes of practices whose registration period PDS shows as ended: what tells a receiver 30003 from 30002. */
  formerPracticeOds: string[];
  /** `deceasedDateTime` when PDS records a death, else null. */
  deceasedAt: string | null;
  /** `meta.versionId` (the ETag), for support conversations with PDS. */
  versionId: string | null;
  /** Family name of the current usual name: what MESH's trace checks a GPPROVIDER address against. */
  familyName: string | null;
  /** `birthDate` as PDS holds it (YYYY-MM-DD), likewise checked by MESH's trace. */
  birthDate: string | null;
}

/** Parses a 200 body; `now` decides which `generalPractitioner` period is current. */
export function parsePdsPatient(json: unknown, requestedNhsNumber: string, now: Date): PdsPatient {
  const parsed = patientSchema.safeParse(json);
  if (!parsed.success) {
    const issues = fieldIssuesFromZod(parsed.error).map((i) => `${i.field}: ${i.reason}`);
    throw new PdsUnexpectedResponseError(
      `PDS returned a record for the patient that this client cannot read (${issues.join('; ')})`,
      {
        status: 200,
      },
    );
  }
  const patient = parsed.data;
  return {
    nhsNumber: patient.id,
    superseded: patient.id !== requestedNhsNumber,
    securityLabel: securityLabelOf(patient.meta?.security ?? []),
    registeredPracticeOds: currentPracticeOds(patient.generalPractitioner ?? [], londonDate(now)),
    formerPracticeOds: formerPracticeOds(patient.generalPractitioner ?? [], londonDate(now)),
    deceasedAt: patient.deceasedDateTime ?? null,
    versionId: patient.meta?.versionId ?? null,
    familyName: usualFamilyName(patient.name ?? [], londonDate(now)),
    birthDate: /^\d{4}-\d{2}-\d{2}$/.test(patient.birthDate ?? '') ? (patient.birthDate ?? null) : null,
  };
}

/**
 * The family name of the `usual` name (PDS has exactly one), preferring one whose period covers today; PDS's own
 * sandbox records carry usual names whose period has ended, and those are still the patient's name.
 */
function usualFamilyName(names: NonNullable<z.infer<typeof patientSchema>['name']>, today: string): string | null {
  const covers = (n: (typeof names)[number]): boolean =>
    (n.period?.start ?? '0000').slice(0, 10) <= today && today <= (n.period?.end ?? '9999-12-31').slice(0, 10);
  const usual = names.filter((n) => n.use === 'usual');
  const chosen = usual.find(covers) ?? usual[0] ?? names[0];
  return chosen?.family?.trim() || null;
}

/** No confidentiality label means normal (FHIR); an unknown one fails loudly rather than being read as `U`. */
function securityLabelOf(labels: { system?: string | undefined; code: string }[]): SecurityLabel {
  const codes = labels
    .filter((l) => l.system === undefined || l.system === CONFIDENTIALITY_SYSTEM)
    .map((l) => l.code);
  const unknown = codes.find((code) => !securityLabelSchema.safeParse(code).success);
  if (unknown !== undefined) {
    throw new PdsUnexpectedResponseError(
      `PDS returned an unknown security label "${unknown}" for the patient`,
      { status: 200 },
    );
  }
  // The most restrictive label wins when PDS sends more than one.
  return (['V', 'R', 'U'] as const).find((label) => codes.includes(label)) ?? 'U';
}

/**
 * The ODS code whose period covers `today` (start and end dates inclusive; open ends allowed). PDS normally sends
 * only the current practice, but its own sandbox record has one that ended years ago, so the period is honoured.
 */
function currentPracticeOds(
  references: z.infer<typeof organisationReferenceSchema>[],
  today: string,
): string | null {
  const current = references
    .map((r) => r.identifier)
    .filter((id) => id.system === ODS_SYSTEM)
    .filter(
      (id) =>
        (id.period?.start ?? '0000').slice(0, 10) <= today &&
        today <= (id.period?.end ?? '9999-12-31').slice(0, 10),
    )
    .sort((a, b) => (b.period?.start ?? '').localeCompare(a.period?.start ?? ''));
  return current[0]?.value.toUpperCase() ?? null;
}

function formerPracticeOds(references: z.infer<typeof organisationReferenceSchema>[], today: string): string[] {
  const ended = references
    .map((r) => r.identifier)
    .filter((id) => id.system === ODS_SYSTEM && id.period?.end !== undefined && id.period.end.slice(0, 10) < today)
    .map((id) => id.value.toUpperCase());
  return [...new Set(ended)];
}

/** Registration periods are English calendar dates, so "today" is taken in UK time, not UTC. */
function londonDate(now: Date): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/London',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
}
