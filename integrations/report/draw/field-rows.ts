/** Label/value rows (the "DOB  14-Mar-1958" pattern) and the headings that open each block of the report. */
import type { ReportField } from '../report-content';
import { bodyWidth, colours, page, spacing, type } from '../theme';
import { drawText, keepTogether, lineHeight, textHeight, type TextStyle } from './text-flow';

export const labelStyle: TextStyle = {
  font: 'regular',
  size: type.label,
  colour: colours.secondaryText,
  lineGap: 1.5,
};
export const valueStyle: TextStyle = {
  font: 'regular',
  size: type.value,
  colour: colours.text,
  lineGap: 1.5,
};
const headingStyle: TextStyle = { font: 'bold', size: type.blockHeading, colour: colours.nhsBlue };

export interface FieldColumn {
  x: number;
  width: number;
  labelWidth: number;
}

export const fullWidthColumn: FieldColumn = { x: page.marginX, width: bodyWidth, labelWidth: 118 };

/** Draws the rows from doc.y down; each row stays on one page. Leaves doc.y below the last row. */
export function drawFieldRows(doc: PDFKit.PDFDocument, fields: ReportField[], column: FieldColumn): void {
  const valueX = column.x + column.labelWidth;
  const valueWidth = column.width - column.labelWidth;
  for (const field of fields) {
    const value = field.lines.join('\n');
    const labelWidth = column.labelWidth - 8;
    const rowHeight = Math.max(
      textHeight(doc, field.label, labelStyle, labelWidth),
      textHeight(doc, value, valueStyle, valueWidth),
    );
    keepTogether(doc, rowHeight);
    const top = doc.y;
    // The label is one point smaller than the value; nudging it down puts both on the same baseline.
    doc.y = top + 1;
    drawText(doc, field.label, labelStyle, column.x, labelWidth);
    doc.y = top;
    drawText(doc, value, valueStyle, valueX, valueWidth);
    doc.y = top + rowHeight + spacing.fieldRow;
  }
}

/** A block heading in NHS Blue over a Light Blue rule, kept on the page with at least the block's first row. */
export function drawBlockHeading(doc: PDFKit.PDFDocument, title: string): void {
  keepTogether(
    doc,
    lineHeight(doc, headingStyle) +
      spacing.headingRule +
      spacing.afterHeading +
      2 * lineHeight(doc, valueStyle),
  );
  drawText(doc, title, headingStyle, page.marginX, bodyWidth);
  const ruleY = doc.y + spacing.headingRule / 2;
  doc
    .moveTo(page.marginX, ruleY)
    .lineTo(page.marginX + bodyWidth, ruleY)
    .lineWidth(1)
    .strokeColor(colours.nhsLightBlue)
    .stroke();
  doc.y = ruleY + spacing.afterHeading;
}
