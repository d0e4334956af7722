/**
 * What every page carries: the NHS Blue header band ("CONSULTATION REPORT", the confidentiality line, "GP Connect"),
 * the Version / Number of related documents / Page x of y line, and the footer with the confidentiality line and
 * page number. Drawn after the body, when the page count is known.
 */
import type { ReportContent } from '../report-content';
import { bodyWidth, colours, page, type } from '../theme';
import { applyStyle, type TextStyle } from './text-flow';

export const CONFIDENTIALITY_LINE = '- Confidential: personal data -';

type Alignment = 'left' | 'center' | 'right';

function drawLine(
  doc: PDFKit.PDFDocument,
  text: string,
  style: TextStyle,
  y: number,
  align: Alignment,
): void {
  applyStyle(doc, style).text(text, page.marginX, y, { width: bodyWidth, align, lineBreak: false });
}

function drawRule(doc: PDFKit.PDFDocument, y: number, width: number): void {
  doc
    .moveTo(page.marginX, y)
    .lineTo(page.marginX + bodyWidth, y)
    .lineWidth(width)
    .strokeColor(colours.nhsLightBlue)
    .stroke();
}

function drawHeader(doc: PDFKit.PDFDocument, content: ReportContent, pageLabel: string): void {
  doc.rect(0, 0, page.width, page.headerBandHeight).fill(colours.nhsBlue);
  const onBand: TextStyle = { font: 'bold', size: type.headerSide, colour: colours.white };
  drawLine(doc, 'CONSULTATION REPORT', { ...onBand, size: type.reportTitle }, 16, 'left');
  drawLine(doc, CONFIDENTIALITY_LINE, { ...onBand, font: 'regular', size: type.meta }, 18, 'center');
  drawLine(doc, 'GP Connect', onBand, 17, 'right');
  const meta: TextStyle = { font: 'regular', size: type.meta, colour: colours.text };
  const metaY = page.headerBandHeight + 10;
  drawLine(doc, `Version ${content.version}`, { ...meta, font: 'bold' }, metaY, 'left');
  drawLine(doc, `Number of related documents: ${content.relatedDocumentCount}`, meta, metaY, 'center');
  drawLine(doc, pageLabel, meta, metaY, 'right');
  drawRule(doc, metaY + 18, 1.5);
}

function drawFooter(doc: PDFKit.PDFDocument, pageLabel: string): void {
  const ruleY = page.height - page.bodyBottomMargin + 16;
  drawRule(doc, ruleY, 1);
  const footer: TextStyle = { font: 'regular', size: type.footer, colour: colours.secondaryText };
  drawLine(doc, CONFIDENTIALITY_LINE, footer, ruleY + 8, 'left');
  drawLine(doc, pageLabel, footer, ruleY + 8, 'right');
}

export function stampPageFurniture(doc: PDFKit.PDFDocument, content: ReportContent): void {
  const { start, count } = doc.bufferedPageRange();
  for (let index = start; index < start + count; index++) {
    doc.switchToPage(index);
    // Header and footer sit in the margins; with the margins left in place pdfkit would start a new page for them.
    doc.page.margins = { top: 0, bottom: 0, left: page.marginX, right: page.marginX };
    const pageLabel = `Page ${index - start + 1} of ${count}`;
    drawHeader(doc, content, pageLabel);
    drawFooter(doc, pageLabel);
  }
}
