/** Small drawing primitives shared by the report's blocks: styled text and page-break decisions. */
import type { FontRole } from '../fonts';

export interface TextStyle {
  font: FontRole;
  size: number;
  colour: string;
  /** Extra space between wrapped lines. */
  lineGap?: number;
}

export function applyStyle(doc: PDFKit.PDFDocument, style: TextStyle): PDFKit.PDFDocument {
  return doc.font(style.font).fontSize(style.size).fillColor(style.colour);
}

export function textHeight(doc: PDFKit.PDFDocument, text: string, style: TextStyle, width: number): number {
  return applyStyle(doc, style).heightOfString(text, { width, lineGap: style.lineGap ?? 0 });
}

/** Height of one line of text in the style, including its line gap. */
export function lineHeight(doc: PDFKit.PDFDocument, style: TextStyle): number {
  return applyStyle(doc, style).currentLineHeight(true) + (style.lineGap ?? 0);
}

/** Starts a new page unless `height` more points fit on this one, so a block or row is never split. */
export function keepTogether(doc: PDFKit.PDFDocument, height: number): void {
  if (doc.y + height > doc.page.height - doc.page.margins.bottom) doc.addPage();
}

/** Draws `text` at (x, doc.y) wrapped to `width`; pdfkit moves whole lines to the next page when one does not fit. */
export function drawText(
  doc: PDFKit.PDFDocument,
  text: string,
  style: TextStyle,
  x: number,
  width: number,
): void {
  applyStyle(doc, style).text(text, x, doc.y, { width, lineGap: style.lineGap ?? 0 });
}
