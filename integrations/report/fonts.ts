/**
 * Fonts embedded in every report: DejaVu Sans (npm package dejavu-fonts-ttf; Bitstream Vera licence, DejaVu changes
 * public domain). Regular and bold cover Latin, Greek, Cyrillic, Armenian, Georgian, Hebrew and Arabic alike, so names
 * in those scripts render without relying on any font installed on the host. The oblique face lacks Arabic and is
 * used only for fixed English text. pdfkit embeds only the glyphs used (subsetting).
 */
import fs from 'node:fs';
import path from 'node:path';
import * as fontkit from 'fontkit';

export type FontRole = 'regular' | 'bold' | 'oblique';

const FONT_FILES: Record<FontRole, string> = {
  regular: 'DejaVuSans.ttf',
  bold: 'DejaVuSans-Bold.ttf',
  oblique: 'DejaVuSans-Oblique.ttf',
};

/** Registers a font under a name; pdfkit's typings list only byte sources, but it also takes a parsed fontkit font. */
interface FontRegistry {
  registerFont(name: string, src: fontkit.Font): unknown;
}

let parsedFonts: Record<FontRole, fontkit.Font> | undefined;

/** Parsed once per process: parsing the TTFs costs more than rendering a whole report. */
function fonts(): Record<FontRole, fontkit.Font> {
  if (!parsedFonts) {
    const dir = path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
    const parse = (file: string): fontkit.Font => {
      const font = fontkit.create(fs.readFileSync(path.join(dir, file)));
      if (!('layout' in font)) throw new Error(`${file} is a font collection, expected a single font`);
      return font;
    };
    parsedFonts = {
      regular: parse(FONT_FILES.regular),
      bold: parse(FONT_FILES.bold),
      oblique: parse(FONT_FILES.oblique),
    };
  }
  return parsedFonts;
}

export function registerReportFonts(doc: PDFKit.PDFDocument): void {
  const registry = doc as unknown as FontRegistry;
  for (const [role, font] of Object.entries(fonts())) registry.registerFont(role, font);
}
