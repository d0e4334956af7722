import { CONFIDENTIALITY_LINE } from '../../../integrations/report/draw/page-furniture';
import { page } from '../../../integrations/report/theme';
import { extractLineBoxes, extractPages, type PageGeometry, type TextLine } from './support/pdf-text';
import { render, squash } from './support/render';
import { longNotes, shortNotes, temporaryResident } from './support/snapshots';

/** Eight sections of six notes: five pages with the current layout. */
const SECTIONS = 8;
const ITEMS = 6;
const snapshot = longNotes(SECTIONS, ITEMS);
const allNotes = snapshot.consultation.sections.flatMap((s) => s.items.map((i) => i.text));

/** Lines between the header (band and version line) and the footer; the footer is recognised by its text. */
function bodyLinesOf(geometry: PageGeometry[]): TextLine[] {
  const footer = (text: string): boolean => text === CONFIDENTIALITY_LINE || /^Page \d+ of \d+$/.test(text);
  return geometry
    .flatMap((g) => g.lines)
    .filter((line) => line.yMin > page.bodyTop - 12 && !footer(line.text));
}

describe('consultation report PDF: a five-page report', () => {
  let pdf: Buffer;
  let pages: string[];
  beforeAll(async () => {
    pdf = await render(snapshot);
    pages = extractPages(pdf);
  });

  it('numbers every page "Page x of y" in the header and the footer', () => {
    expect(pages).toHaveLength(5);
    pages.forEach((text, index) => {
      expect(text.split(`Page ${index + 1} of 5`)).toHaveLength(3);
      expect(text.trim().split('\n').pop()).toBe(`${CONFIDENTIALITY_LINE} Page ${index + 1} of 5`);
    });
  });

  it('repeats the header on every page', () => {
    for (const text of pages) {
      for (const expected of [
        'CONSULTATION REPORT',
        'GP Connect',
        'Version 1',
        'Number of related documents: 0',
      ]) {
        expect(text).toContain(expected);
      }
      expect(text.split(CONFIDENTIALITY_LINE)).toHaveLength(3);
    }
  });

  describe('flowing notes over pages', () => {
    const bodyBottom = page.height - page.bodyBottomMargin;
    let bodyLines: TextLine[];
    beforeAll(() => {
      const geometry = extractLineBoxes(pdf);
      expect(geometry.every((g) => g.height === page.height)).toBe(true);
      // The header band and the version line end above the body; the footer starts below it.
      bodyLines = bodyLinesOf(geometry);
    });

    it('keeps every body line whole inside the body area of its page', () => {
      for (const line of bodyLines) {
        expect(line.yMin).toBeGreaterThanOrEqual(page.bodyTop - 1);
        expect(line.yMax).toBeLessThanOrEqual(bodyBottom + 1);
      }
    });

    it('loses no text: every note is there in full and in order', () => {
      const body = squash(bodyLines.map((l) => l.text).join(' '));
      let from = 0;
      for (const note of allNotes) {
        const at = body.indexOf(squash(note), from);
        expect(at).toBeGreaterThanOrEqual(from);
        from = at + squash(note).length;
      }
    });
  });
});

describe('consultation report PDF: page breaks', () => {
  it('flows a single note longer than a page over the next pages, whole lines only', async () => {
    const sentence = 'Long free-text history dictated by the clinician, recorded verbatim in the notes. ';
    const note = `Start. ${sentence.repeat(110)}End of note.`;
    const pdf = await render(
      temporaryResident((input) => {
        input.consultation.sections = [{ title: 'History', items: [{ text: note }] }];
      }),
    );
    const geometry = extractLineBoxes(pdf);
    expect(geometry.length).toBeGreaterThanOrEqual(3);
    const lines = bodyLinesOf(geometry);
    for (const line of lines) expect(line.yMax).toBeLessThanOrEqual(page.height - page.bodyBottomMargin + 1);
    expect(squash(lines.map((l) => l.text).join(' '))).toContain(squash(note));
  });

  // One-line notes move the second title down a line at a time, so one of these puts it at the foot of page 1.
  it('never leaves a section title alone at the foot of a page', async () => {
    for (let firstSectionItems = 14; firstSectionItems <= 24; firstSectionItems++) {
      const lines = bodyLinesOf(extractLineBoxes(await render(shortNotes(firstSectionItems))));
      const lastLineOfPage1 = lines.filter((l) => l.page === 0).pop()?.text;
      expect({ firstSectionItems, lastLineOfPage1 }).not.toEqual({
        firstSectionItems,
        lastLineOfPage1: 'Section 2',
      });
    }
  });
});
