/**
 * Test inputs for the ITK3 module: consultation snapshots derived from the project's example, small deterministic
 * PDFs (fixed creation date, so golden files stay byte-stable) and messages built from them.
 */
import fs from 'node:fs';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import type { Bundle } from '../../../integrations/itk3/fhir-stu3-types';
import type { WithId } from '../../../integrations/itk3/message-envelope';
import { buildSendDocumentMessage } from '../../../integrations/itk3/send-document-message';
import {
  parseConsultationSnapshot,
  type ResolvedSnapshot,
  type ConsultationSnapshotInput,
} from '../../../domain/snapshot';

export const FIRST_BUILT_AT = '2026-11-20T13:45:00Z';
export const SENDER_MAILBOX = 'Y90001MB01';

const EXAMPLE = path.resolve(__dirname, '../../../examples/consultation-temporary-resident.json');

/** The project's example snapshot, optionally changed by `edit` (which receives a mutable copy of the raw input). */
export function snapshotFixture(
  edit: (input: ConsultationSnapshotInput) => void = () => undefined,
): ResolvedSnapshot {
  const input = JSON.parse(fs.readFileSync(EXAMPLE, 'utf8')) as ConsultationSnapshotInput;
  edit(input);
  return parseConsultationSnapshot(input);
}

export function tinyPdf(text: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({
      size: 'A4',
      info: { CreationDate: new Date('2026-01-01T00:00:00Z'), Producer: 'fedreport tests' },
    });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.text(text);
    doc.end();
  });
}

export const PREVIOUS_DOCUMENT = '8d3b1f2e-6c4a-4e9b-a7d5-0f1e2d3c4b5a';

/** A Send Document message built from `snapshot` (default: the example) with the test sender and build time. */
export async function fixtureMessage(
  options: { snapshot?: ResolvedSnapshot; version?: number; firstBuiltAt?: string } = {},
): Promise<WithId<Bundle>> {
  const version = options.version ?? 1;
  return buildSendDocumentMessage({
    snapshot: options.snapshot ?? snapshotFixture(),
    reportPdf: await tinyPdf('Consultation report'),
    senderMailboxId: SENDER_MAILBOX,
    version,
    previousDocumentIdentifier: version > 1 ? PREVIOUS_DOCUMENT : undefined,
    firstBuiltAt: options.firstBuiltAt ?? FIRST_BUILT_AT,
  });
}
