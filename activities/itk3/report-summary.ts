/**
 * The one-line summary of a consultation report: Composition.text of the document and the MESH subject the
 * receiving practice sees in its workflow list (GPCM-SD-061/064/119). Practice name and ODS code are left out of
 * confidential consultations.
 */
import type { ConsultationSnapshot } from '../../domain/snapshot';

export function consultationReportSummary(snapshot: ConsultationSnapshot, version: number): string {
  const { patient, hostingPractice, consultation } = snapshot;
  const parts = [
    `Consultation report for ${[...patient.name.given, patient.name.family].join(' ')}`,
    `NHS Number ${spacedNhsNumber(patient.nhsNumber)}`,
  ];
  if (!consultation.confidential)
    parts.push(`seen at ${hostingPractice.name}`, `ODS Code ${hostingPractice.odsCode}`);
  parts.push(`Version ${version}`);
  return parts.join(', ');
}

/** NHS numbers are shown to people as 3-3-4 digits (NHS Data Dictionary display format). */
function spacedNhsNumber(nhsNumber: string): string {
  return `${nhsNumber.slice(0, 3)} ${nhsNumber.slice(3, 6)} ${nhsNumber.slice(6)}`;
}
