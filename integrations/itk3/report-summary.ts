/**
 * The one-line summary of a consultation report: Composition.text of the document and the MESH subject the
 * receiving practice sees in its workflow list (GPCM-SD-061/064/119). Practice name and ODS code are left out of
 * confidential consultations. The NHS number is shown as the report PDF shows it (`### ### ####`).
 */
import type { ConsultationSnapshot } from '../../domain/snapshot';
import { formatNhsNumber } from '../report/format/nhs-number';

export function consultationReportSummary(snapshot: ConsultationSnapshot, version: number): string {
  const { patient, hostingPractice, consultation } = snapshot;
  const parts = [
    `Consultation report for ${[...patient.name.given, patient.name.family].join(' ')}`,
    `NHS Number ${formatNhsNumber(patient.nhsNumber)}`,
  ];
  if (!consultation.confidential)
    parts.push(`seen at ${hostingPractice.name}`, `ODS Code ${hostingPractice.odsCode}`);
  parts.push(`Version ${version}`);
  return parts.join(', ');
}
