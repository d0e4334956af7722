/**
 * MESH send metadata of a consultation report (domain-reference §2.5, §2.9, §5.4): the GPPROVIDER demographic
 * address MESH routes to the patient's registered practice, workflow id, subject, local id, file name and content
 * type. The MESH client takes the result as its send options.
 *
 * Header values are ASCII: HTTP header bytes outside ASCII have no agreed charset, and MESH rejects control
 * characters. Text from the record (surname, subject) is therefore folded to ASCII: accents are removed (Zoë → Zoe),
 * a few letters without a decomposition are transliterated (ß → ss, Ø → O), typographic apostrophes and dashes
 * become ' and -, anything else outside printable ASCII is dropped.
 */
import type { ConsultationSnapshot } from '../../domain/snapshot';
import { ValidationError } from '../../domain/validation-error';
import { FHIR_MEDIA_TYPE, type MessageFormat } from './message-format';
import { consultationReportSummary } from './report-summary';

/** `YYYYMMDD` is what MESH's endpoint lookup documents; GP Connect 1.x documents `DDMMYYYY` (§2.9). */
export type MexToDobFormat = 'YYYYMMDD' | 'DDMMYYYY';
/** GP Connect Send Document 1.x workflow, or the 2.x one; receivers accept both (§2.10). */
export type ConsultReportWorkflowId = 'GPFED_CONSULT_REPORT' | 'GPCONNECT_SEND_DOCUMENT';

export interface MeshMetadataOptions {
  workflowId?: ConsultReportWorkflowId;
  dobFormat?: MexToDobFormat;
  format?: MessageFormat;
}

export interface MeshSendMetadata {
  to: string;
  workflowId: ConsultReportWorkflowId;
  subject: string;
  /** No patient data (MESH forbids PID here): the MessageHeader.id, which MESH REPORTs echo back. */
  localId: string;
  filename: string;
  contentType: string;
}

/** MESH API header limits (MAPI): mex-to 100 characters, mex-subject 500. */
const MEX_TO_MAX_LENGTH = 100;
export const MEX_SUBJECT_MAX_LENGTH = 500;

/** The spine's family name and birth date, which MESH verifies a GPPROVIDER address against. */
export interface AddressDemographics {
  familyName: string;
  birthDate: string;
}

export function meshMetadataFor(
  input: { snapshot: ConsultationSnapshot; version: number; messageHeaderId: string; addressDemographics?: AddressDemographics },
  options: MeshMetadataOptions = {},
): MeshSendMetadata {
  const format = options.format ?? 'xml';
  return {
    to: gpProviderAddress(addressedPatient(input.snapshot.patient, input.addressDemographics), options.dobFormat ?? 'YYYYMMDD'),
    workflowId: options.workflowId ?? 'GPFED_CONSULT_REPORT',
    subject: headerText(consultationReportSummary(input.snapshot, input.version))
      .slice(0, MEX_SUBJECT_MAX_LENGTH)
      .trimEnd(),
    localId: input.messageHeaderId,
    filename: `${input.messageHeaderId}.${format}`,
    contentType: FHIR_MEDIA_TYPE[format],
  };
}

/** The patient as MESH will trace them: the spine's name and birth date when known, else the clinical record's. */
function addressedPatient(patient: ConsultationSnapshot['patient'], spine: AddressDemographics | undefined): ConsultationSnapshot['patient'] {
  if (!spine) return patient;
  return { ...patient, name: { ...patient.name, family: spine.familyName }, birthDate: spine.birthDate };
}

/**
 * `GPPROVIDER_<NHS number>_<DOB>_<surname>`. The surname is folded to ASCII (see above), `_` (the delimiter) and
 * runs of white space become one space, and it is cut so the address fits MESH's 100 characters; the NHS number and
 * DOB, which the trace relies on most, are never shortened. How MESH's trace compares surnames (case, punctuation,
 * length) is not documented: the recorded spelling is kept as far as ASCII allows.
 */
export function gpProviderAddress(
  patient: ConsultationSnapshot['patient'],
  dobFormat: MexToDobFormat,
): string {
  const [year, month, day] = patient.birthDate.split('-');
  const dob = dobFormat === 'YYYYMMDD' ? `${year}${month}${day}` : `${day}${month}${year}`;
  const prefix = `GPPROVIDER_${patient.nhsNumber}_${dob}_`;
  const surname = headerText(patient.name.family.replace(/_/g, ' '))
    .slice(0, MEX_TO_MAX_LENGTH - prefix.length)
    .trim();
  if (!surname) {
    throw new ValidationError('MESH address', [
      { field: 'patient.name.family', reason: 'has no characters a MESH address can carry' },
    ]);
  }
  return `${prefix}${surname}`;
}

const TRANSLITERATION: Readonly<Record<string, string>> = {
  ß: 'ss',
  Æ: 'AE',
  æ: 'ae',
  Ø: 'O',
  ø: 'o',
  Œ: 'OE',
  œ: 'oe',
  Ł: 'L',
  ł: 'l',
  Đ: 'D',
  đ: 'd',
  Ð: 'D',
  ð: 'd',
  Þ: 'TH',
  þ: 'th',
  ı: 'i',
  '\u2018': "'",
  '\u2019': "'",
  '\u02BC': "'",
  '\u2010': '-',
  '\u2011': '-',
  '\u2013': '-',
  '\u2014': '-',
};

/** Printable ASCII with single spaces, as header values must be. */
function headerText(text: string): string {
  return [...text.normalize('NFKD')]
    .map((ch) => TRANSLITERATION[ch] ?? ch)
    .join('')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/\s+/g, ' ')
    .replace(/[^\x20-\x7E]/g, '')
    .trim();
}
