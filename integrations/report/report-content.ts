/**
 * What the report says, decided before anything is drawn: the GP Connect field list with formats applied, the
 * confidentiality rules enforced and empty optional fields dropped (so no label is ever printed without a value).
 * Pure, so the rules are testable without a PDF.
 */
import { linkedDocuments } from '../../domain/linked-documents';
import type { ConsultationSnapshot } from '../../domain/snapshot';
import { addressLines } from './format/address';
import { formatCodeReference } from './format/coding';
import { formatCalendarDate, formatUkDateTime } from './format/dates';
import { formatPersonName } from './format/name';
import { formatNhsNumber } from './format/nhs-number';
import { formatPhoneNumber } from './format/phone';

/** A labelled value; each element of `lines` is printed on its own line. */
export interface ReportField {
  label: string;
  lines: string[];
}

export type NoteItem = { kind: 'text'; text: string; codeReference?: string } | { kind: 'confidential' };

export interface NoteSection {
  title: string;
  items: NoteItem[];
}

export type ClinicalNotes =
  | { kind: 'confidential'; statement: string }
  | { kind: 'notes'; summaryReason: string; sections: NoteSection[]; followUpActions: string[] };

export interface ReportContent {
  version: number;
  relatedDocumentCount: number;
  patientName: string;
  /** DOB, NHS number and telephone numbers. */
  patientDetails: ReportField[];
  patientAddresses: ReportField[];
  /** Empty for a confidential consultation: every field of the block is withheld. */
  consultingOrganisation: ReportField[];
  consultation: ReportField[];
  clinicalNotes: ClinicalNotes;
}

export const SUMMARY_REASON =
  'A patient recently consulted with a clinician at an organisation different to the GP practice that they are ' +
  'registered with. The notes contained in this document are a summary of the consultation.';
export const CONFIDENTIAL_CONSULTATION_STATEMENT =
  'The details of this consultation have been set as confidential';
export const CONFIDENTIAL_ITEM_TEXT = 'Confidential item';

export interface ReportContentInput {
  snapshot: ConsultationSnapshot;
  version: number;
  receivingPractice: { odsCode: string; name?: string | undefined };
}

/** Keeps only the fields that have something to say. */
function fields(...candidates: [label: string, lines: (string | undefined)[] | undefined][]): ReportField[] {
  return candidates.flatMap(([label, lines]) => {
    const present = (lines ?? []).filter((line): line is string => line !== undefined && line.trim() !== '');
    return present.length > 0 ? [{ label, lines: present }] : [];
  });
}

const phone = (entered: string | undefined): string[] | undefined =>
  entered === undefined ? undefined : [formatPhoneNumber(entered)];

function consultingOrganisation({ clinician, hostingPractice }: ConsultationSnapshot): ReportField[] {
  const organisation = [hostingPractice.name, addressLines(hostingPractice.address).join(', ')];
  return fields(
    ['Clinician', [`${formatPersonName(clinician.name)} – ${clinician.role}`]],
    ['Tel No', phone(hostingPractice.phone)],
    ['Email', [hostingPractice.email]],
    ['Branch Location', [hostingPractice.branchLocation]],
    ['Organisation', organisation],
  );
}

function clinicalNotes({ consultation }: ConsultationSnapshot): ClinicalNotes {
  if (consultation.confidential)
    return { kind: 'confidential', statement: CONFIDENTIAL_CONSULTATION_STATEMENT };
  const sections = consultation.sections.map((section) => ({
    title: section.title,
    items: section.items.map((item): NoteItem => {
      if (item.confidential) return { kind: 'confidential' };
      return item.coding
        ? { kind: 'text', text: item.text, codeReference: formatCodeReference(item.coding, item.text) }
        : { kind: 'text', text: item.text };
    }),
  }));
  return {
    kind: 'notes',
    summaryReason: SUMMARY_REASON,
    sections,
    followUpActions: consultation.followUpActions,
  };
}

export function buildReportContent({
  snapshot,
  version,
  receivingPractice,
}: ReportContentInput): ReportContent {
  const { patient, consultation } = snapshot;
  const receiving = receivingPractice.name
    ? `${receivingPractice.name} (${receivingPractice.odsCode})`
    : receivingPractice.odsCode;
  return {
    version,
    relatedDocumentCount: linkedDocuments(snapshot).length,
    patientName: formatPersonName(patient.name),
    patientDetails: fields(
      ['DOB', [formatCalendarDate(patient.birthDate)]],
      ['NHS No', [formatNhsNumber(patient.nhsNumber)]],
      ['Tel No', phone(patient.phones.home)],
      ['Mobile No', phone(patient.phones.mobile)],
      ['Current Tel No', phone(patient.phones.current)],
    ),
    patientAddresses: fields(
      ['Home/Registered Address', addressLines(patient.registeredAddress)],
      ['Current Address', patient.currentAddress && addressLines(patient.currentAddress)],
    ),
    consultingOrganisation: consultation.confidential ? [] : consultingOrganisation(snapshot),
    consultation: fields(
      ['Consultation Date', [formatUkDateTime(consultation.startedAt)]],
      ['Receiving GP Practice', [receiving]],
    ),
    clinicalNotes: clinicalNotes(snapshot),
  };
}
