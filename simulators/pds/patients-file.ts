/**
 * Extra synthetic patients for the PDS double from a JSON file (FEDREPORT_PDS_PATIENTS_FILE), so a user can try
 * their own patients without editing code. Each patient is written as a consultation snapshot's patient is (same
 * field names and rules, domain/snapshot.ts) plus the registered practice:
 *
 *   {"patients": [{"nhsNumber": "9990001236", "name": {"title": "Ms", "given": ["Ada"], "family": "Lovelace"},
 *                  "birthDate": "1985-12-10", "gender": "female", "registeredPractice": "Y90002"}]}
 *
 * Every problem is reported by field (`patients[0].birthDate: is not a real calendar date`), never by value.
 */
import { z } from 'zod';
import { addressSchema, humanNameSchema, nhsNumberSchema, odsCodeSchema } from '../../domain/snapshot';
import { parseWithSchema, readJsonFile } from '../json-file';
import { fhirPatient, isBuiltInPatient, type PatientRecords, type PatientSpec } from './patients';

/** The variable the PDS double's main.ts and the local stack read. */
export const PDS_PATIENTS_FILE_ENV = 'FEDREPORT_PDS_PATIENTS_FILE';

/** A calendar date as FHIR and the snapshot write it. */
const dateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD')
  .refine((date) => {
    const parsed = new Date(`${date}T00:00:00Z`);
    return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(date);
  }, 'is not a real calendar date');

const filePatientSchema = z
  .object({
    nhsNumber: nhsNumberSchema,
    name: humanNameSchema,
    birthDate: dateSchema,
    gender: z.enum(['male', 'female', 'other', 'unknown']),
    /** ODS code of the GP practice the patient is registered at; absent: no registered practice. */
    registeredPractice: odsCodeSchema.optional(),
    /** Start of that registration; default the date of birth. */
    registeredSince: dateSchema.optional(),
    address: addressSchema.optional(),
    /** PDS confidentiality: U (default), R restricted, V very restricted (both withhold the practice). */
    security: z.enum(['U', 'R', 'V']).default('U'),
    deceasedAt: z
      .string()
      .datetime({ offset: true, message: 'must be an ISO 8601 date-time with a time zone' })
      .optional(),
  })
  .strict();

type FilePatient = z.output<typeof filePatientSchema>;

const patientsFileSchema = z
  .object({ patients: z.array(filePatientSchema).max(10_000) })
  .strict()
  .superRefine(({ patients }, ctx) => {
    patients.forEach(({ nhsNumber }, index) => {
      const first = patients.findIndex((p) => p.nhsNumber === nhsNumber);
      const message =
        first < index
          ? `repeats patients[${first}].nhsNumber`
          : isBuiltInPatient(nhsNumber)
            ? 'is already a built-in patient of the PDS double'
            : undefined;
      if (message)
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['patients', index, 'nhsNumber'], message });
    });
  });

export type PatientsFileInput = z.input<typeof patientsFileSchema>;

/** @throws ValidationError naming `source` and each wrong field. */
export function pdsPatientRecords(input: PatientsFileInput, source = 'PDS double patients'): PatientRecords {
  return recordsOf(parseWithSchema(patientsFileSchema, input, source).patients);
}

/** @throws ValidationError naming the file and each wrong field (or that it cannot be read or is not JSON). */
export async function loadPdsPatientsFile(file: string): Promise<PatientRecords> {
  return recordsOf((await readJsonFile(patientsFileSchema, file)).patients);
}

function recordsOf(patients: FilePatient[]): PatientRecords {
  return Object.fromEntries(patients.map((patient) => [patient.nhsNumber, fhirPatient(specOf(patient))]));
}

function specOf(patient: FilePatient): PatientSpec {
  const { address } = patient;
  return {
    nhsNumber: patient.nhsNumber,
    prefix: patient.name.title,
    given: patient.name.given,
    family: patient.name.family,
    gender: patient.gender,
    birthDate: patient.birthDate,
    security: patient.security,
    deceasedAt: patient.deceasedAt,
    registrations: patient.registeredPractice
      ? [{ ods: patient.registeredPractice, start: patient.registeredSince ?? patient.birthDate }]
      : [],
    address: address && {
      line: [
        ...address.lines,
        ...[address.district, address.city].filter((l): l is string => l !== undefined),
      ],
      postalCode: address.postalCode,
    },
  };
}
