/**
 * Renders the consultation report PDF that GP Connect Send Document carries to the patient's registered practice
 * (layout: GP Connect "Consultation summary" PDF layout; see docs/report-pdf.md).
 */
import type { ConsultationSnapshot } from '../../domain/snapshot';
import { drawReportBody } from './draw/report-body';
import { stampPageFurniture } from './draw/page-furniture';
import { ReportTooLargeError } from './errors';
import { buildReportContent } from './report-content';
import { createReportDocument, documentIdentity } from './report-document';
import { parseRenderReportInput } from './render-input';

export interface RenderConsultationReportInput {
  snapshot: ConsultationSnapshot;
  /** 1 for the first report of a consultation, n+1 for each later one. */
  version: number;
  receivingPractice: { odsCode: string; name?: string };
  /** Largest acceptable PDF in bytes; default DEFAULT_MAX_REPORT_BYTES (5 MB). */
  maxBytes?: number;
}

/**
 * The same input always gives the same bytes. Throws ValidationError for bad input (naming each field) and
 * ReportTooLargeError when the PDF exceeds `maxBytes`.
 */
export async function renderConsultationReport(input: RenderConsultationReportInput): Promise<Buffer> {
  const { maxBytes, ...contentInput } = parseRenderReportInput(input);
  const content = buildReportContent(contentInput);
  const { doc, bytes } = createReportDocument(documentIdentity(contentInput));
  drawReportBody(doc, content);
  stampPageFurniture(doc, content);
  doc.end();
  const pdf = await bytes;
  if (pdf.length > maxBytes) throw new ReportTooLargeError(pdf.length, maxBytes);
  return pdf;
}
