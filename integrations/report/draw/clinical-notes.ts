/**
 * The CLINICAL NOTES area: the fixed summary reason, each section's bold title with its items indented under it, a
 * blank line between sections, then the follow-up actions. Notes of any length flow over pages: pdfkit moves whole
 * lines, and a title never stays behind at the foot of a page without the first line of its notes.
 */
import { CONFIDENTIAL_ITEM_TEXT, type ClinicalNotes, type NoteItem } from '../report-content';
import { bodyWidth, colours, page, spacing, type } from '../theme';
import { drawBlockHeading, drawFieldRows, fullWidthColumn } from './field-rows';
import { applyStyle, drawText, keepTogether, lineHeight, textHeight, type TextStyle } from './text-flow';

const titleStyle: TextStyle = { font: 'bold', size: type.noteTitle, colour: colours.text };
const noteStyle: TextStyle = { font: 'regular', size: type.note, colour: colours.text, lineGap: 2 };
const codeStyle: TextStyle = { ...noteStyle, colour: colours.secondaryText };
const confidentialItemStyle: TextStyle = { ...noteStyle, font: 'oblique', colour: colours.secondaryText };
const statementStyle: TextStyle = { ...noteStyle, font: 'bold', colour: colours.nhsBlue };

const itemX = page.marginX + spacing.noteIndent;
const itemWidth = bodyWidth - spacing.noteIndent;

function drawItem(doc: PDFKit.PDFDocument, item: NoteItem): void {
  keepTogether(doc, lineHeight(doc, noteStyle));
  if (item.kind === 'confidential') {
    drawText(doc, CONFIDENTIAL_ITEM_TEXT, confidentialItemStyle, itemX, itemWidth);
  } else if (item.codeReference) {
    // One paragraph in two colours: the clinician's text, then the code it was recorded with.
    applyStyle(doc, noteStyle).text(item.text, itemX, doc.y, {
      width: itemWidth,
      lineGap: noteStyle.lineGap,
      continued: true,
    });
    applyStyle(doc, codeStyle).text(`  [${item.codeReference}]`);
  } else {
    drawText(doc, item.text, noteStyle, itemX, itemWidth);
  }
  doc.y += spacing.noteItem;
}

/** A bold title, kept on the page together with the first line under it. */
function drawNoteTitle(doc: PDFKit.PDFDocument, title: string): void {
  keepTogether(doc, textHeight(doc, title, titleStyle, bodyWidth) + 2 + lineHeight(doc, noteStyle));
  drawText(doc, title, titleStyle, page.marginX, bodyWidth);
  doc.y += 2;
}

function drawFollowUpAction(doc: PDFKit.PDFDocument, action: string): void {
  keepTogether(doc, lineHeight(doc, noteStyle));
  const top = doc.y;
  applyStyle(doc, noteStyle).text('•', itemX - spacing.bulletOutdent, top, { lineBreak: false });
  doc.y = top;
  drawText(doc, action, noteStyle, itemX, itemWidth);
  doc.y += spacing.noteItem;
}

export function drawClinicalNotes(doc: PDFKit.PDFDocument, notes: ClinicalNotes): void {
  drawBlockHeading(doc, 'CLINICAL NOTES');
  if (notes.kind === 'confidential') {
    drawText(doc, notes.statement, statementStyle, page.marginX, bodyWidth);
    return;
  }
  drawFieldRows(doc, [{ label: 'Summary Reason', lines: [notes.summaryReason] }], fullWidthColumn);
  for (const section of notes.sections) {
    doc.y += spacing.betweenSections;
    drawNoteTitle(doc, section.title);
    for (const item of section.items) drawItem(doc, item);
  }
  if (notes.followUpActions.length > 0) {
    doc.y += spacing.betweenSections;
    drawNoteTitle(doc, 'Follow-up Actions');
    for (const action of notes.followUpActions) drawFollowUpAction(doc, action);
  }
}
