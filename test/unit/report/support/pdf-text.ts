/** Text extraction with poppler-utils' pdftotext, the way a receiving practice's tools would read the report. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** pdftotext and pdfinfo come with poppler-utils; the CI script installs it. */
function requirePdftotext(): void {
  try {
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
  } catch {
    throw new Error(
      'pdftotext not found: install the Debian package poppler-utils (apt-get install -y poppler-utils)',
    );
  }
}

function withPdfFile<T>(pdf: Buffer, use: (file: string) => T): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fedreport-report-'));
  try {
    const file = path.join(dir, 'report.pdf');
    fs.writeFileSync(file, pdf);
    return use(file);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** One string per page, laid out as on the page (`-layout`) and with runs of spaces collapsed to one. */
export function extractPages(pdf: Buffer): string[] {
  requirePdftotext();
  const text = withPdfFile(pdf, (file) =>
    execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }),
  );
  return text
    .split('\f')
    .slice(0, -1)
    .map((page) => page.replace(/[ \t]+/g, ' '));
}

/** The document information dictionary as pdfinfo reads it, dates in ISO 8601. */
export function documentInfo(pdf: Buffer): Record<string, string> {
  requirePdftotext();
  const text = withPdfFile(pdf, (file) => execFileSync('pdfinfo', ['-isodates', file], { encoding: 'utf8' }));
  return Object.fromEntries(
    text.split('\n').flatMap((line) => {
      const match = /^([^:]+):\s*(.*)$/.exec(line);
      return match ? [[match[1], match[2]]] : [];
    }),
  );
}

export function extractText(pdf: Buffer): string {
  return extractPages(pdf).join('\n');
}

export interface TextLine {
  page: number;
  text: string;
  yMin: number;
  yMax: number;
}

export interface PageGeometry {
  height: number;
  lines: TextLine[];
}

/** Every text line with its vertical extent in points from the top of its page (`pdftotext -bbox-layout`). */
export function extractLineBoxes(pdf: Buffer): PageGeometry[] {
  requirePdftotext();
  const html = withPdfFile(pdf, (file) =>
    execFileSync('pdftotext', ['-bbox-layout', file, '-'], { encoding: 'utf8' }),
  );
  return html
    .split('<page ')
    .slice(1)
    .map((pageHtml, page) => {
      const height = Number(/height="([\d.]+)"/.exec(pageHtml)?.[1]);
      const lines = [
        ...pageHtml.matchAll(
          /<line xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([\s\S]*?)<\/line>/g,
        ),
      ].map(([, yMin, yMax, words]) => ({
        page,
        yMin: Number(yMin),
        yMax: Number(yMax),
        text: [...(words ?? '').matchAll(/<word[^>]*>([^<]*)<\/word>/g)].map((w) => w[1]).join(' '),
      }));
      return { height, lines };
    });
}
