/**
 * The pdfkit document of one report, made byte-for-byte reproducible: a resend of the same version must carry the
 * same PDF. pdfkit otherwise stamps the wall-clock time into the info dictionary and derives the trailer /ID from it.
 */
import crypto from 'node:crypto';
import PDFDocument from 'pdfkit';
import { canonicalJson } from '../../domain/canonical-json';
import { registerReportFonts } from './fonts';
import type { ReportContentInput } from './report-content';
import { page } from './theme';

export interface DocumentIdentity {
  /** The instant the consultation state was saved: it is what the report shows, and it is fixed per input. */
  creationDate: Date;
  /** Trailer /ID: the first 16 bytes of a SHA-256 over the whole render input, so any change gives a new id. */
  fileId: Buffer;
}

export function documentIdentity(input: ReportContentInput): DocumentIdentity {
  return {
    creationDate: new Date(input.snapshot.savedAt),
    fileId: crypto.createHash('sha256').update(canonicalJson(input)).digest().subarray(0, 16),
  };
}

/** The field pdfkit writes as the trailer /ID; not in its typings, hence this narrow view. */
interface WithFileId {
  _id: Uint8Array;
}

export interface ReportDocument {
  doc: PDFKit.PDFDocument;
  /** Resolves with the complete PDF once `doc.end()` has been called. */
  bytes: Promise<Buffer>;
}

export function createReportDocument(identity: DocumentIdentity): ReportDocument {
  const doc = new PDFDocument({
    size: page.size,
    margins: { top: page.bodyTop, bottom: page.bodyBottomMargin, left: page.marginX, right: page.marginX },
    // Pages stay in memory so "Page x of y" can be stamped once y is known.
    bufferPages: true,
    // No standard font: all text uses the embedded fonts, and an unused Helvetica would still be written.
    font: '',
    lang: 'en-GB',
    displayTitle: true,
    info: {
      Title: 'Consultation report',
      Creator: 'fedreport',
      Producer: 'fedreport (PDFKit)',
      CreationDate: identity.creationDate,
      ModDate: identity.creationDate,
    },
  });
  (doc as unknown as WithFileId)._id = identity.fileId;
  registerReportFonts(doc);
  const bytes = new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  return { doc, bytes };
}
