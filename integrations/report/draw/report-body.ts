/** The report's blocks in the order of the GP Connect layout, from the top of page 1 down. */
import type { ReportContent, ReportField } from '../report-content';
import { bodyWidth, colours, page, spacing, type } from '../theme';
import { drawClinicalNotes } from './clinical-notes';
import { drawBlockHeading, drawFieldRows, fullWidthColumn, type FieldColumn } from './field-rows';
import { drawText, type TextStyle } from './text-flow';

const patientNameStyle: TextStyle = {
  font: 'bold',
  size: type.patientName,
  colour: colours.nhsBlue,
  lineGap: 1,
};

// Identifiers and phone numbers are short; addresses get the wider column so their lines rarely wrap.
const columnGap = 18;
const detailsColumn: FieldColumn = { x: page.marginX, width: 200, labelWidth: 80 };
const addressColumn: FieldColumn = {
  x: page.marginX + detailsColumn.width + columnGap,
  width: bodyWidth - detailsColumn.width - columnGap,
  labelWidth: 132,
};

/** Name across the page, then identifiers and phones on the left beside the addresses on the right. */
function drawPatient(doc: PDFKit.PDFDocument, content: ReportContent): void {
  drawBlockHeading(doc, 'Patient');
  drawText(doc, content.patientName, patientNameStyle, page.marginX, bodyWidth);
  doc.y += 6;
  const top = doc.y;
  drawFieldRows(doc, content.patientDetails, detailsColumn);
  const detailsBottom = doc.y;
  doc.y = top;
  drawFieldRows(doc, content.patientAddresses, addressColumn);
  doc.y = Math.max(doc.y, detailsBottom) + spacing.afterBlock;
}

function drawFieldBlock(doc: PDFKit.PDFDocument, title: string, fields: ReportField[]): void {
  if (fields.length === 0) return;
  drawBlockHeading(doc, title);
  drawFieldRows(doc, fields, fullWidthColumn);
  doc.y += spacing.afterBlock;
}

export function drawReportBody(doc: PDFKit.PDFDocument, content: ReportContent): void {
  doc.y = page.bodyTop;
  drawPatient(doc, content);
  drawFieldBlock(doc, 'Consulting Organisation', content.consultingOrganisation);
  drawFieldBlock(doc, 'Consultation', content.consultation);
  drawClinicalNotes(doc, content.clinicalNotes);
}
