/**
 * Test inputs for the ITK3 module: consultation snapshots derived from the project's example, and small
 * deterministic PDFs (fixed creation date, so golden files stay byte-stable).
 */
import fs from 'node:fs';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import { parseConsultationSnapshot, type ConsultationSnapshot, type ConsultationSnapshotInput } from '../../../domain/snapshot';

export const FIRST_BUILT_AT = '2026-11-20T13:45:00Z';
export const SENDER_MAILBOX = 'Y90001MB01';

const EXAMPLE = path.resolve(__dirname, '../../../examples/consultation-temporary-resident.json');

/** The project's example snapshot, optionally changed by `edit` (which receives a mutable copy of the raw input). */
export function snapshotFixture(edit: (input: ConsultationSnapshotInput) => void = () => undefined): ConsultationSnapshot {
  const input = JSON.parse(fs.readFileSync(EXAMPLE, 'utf8')) as ConsultationSnapshotInput;
  edit(input);
  return parseConsultationSnapshot(input);
}

export function tinyPdf(text: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', info: { CreationDate: new Date('2026-01-01T00:00:00Z'), Producer: 'fedreport tests' } });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.text(text);
    doc.end();
  });
}
