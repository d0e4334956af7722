/** The decompressed content of a PDF's streams, to check drawing operators (colours) that text extraction cannot see. */
import zlib from 'node:zlib';

export function inflatedStreams(pdf: Buffer): string {
  const raw = pdf.toString('latin1');
  const streams: string[] = [];
  for (const match of raw.matchAll(/stream\n([\s\S]*?)\nendstream/g)) {
    try {
      streams.push(zlib.inflateSync(Buffer.from(match[1] ?? '', 'latin1')).toString('latin1'));
    } catch {
      // Not a Flate stream (or binary font data): nothing to read here.
    }
  }
  return streams.join('\n');
}

/** pdfkit's operator setting an RGB fill (`scn`) or stroke (`SCN`) colour given as #RRGGBB. */
export function colourOperator(hex: string, operator: 'scn' | 'SCN'): string {
  const channels = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
  return `${channels.join(' ')} ${operator}`;
}
