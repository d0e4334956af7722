/**
 * One PDF from several, page by page in the order given: the print queue's batch for the post room. pdf-lib copies
 * pages between documents without re-rendering them, so each report prints exactly as it was sent.
 */
import { PDFDocument } from 'pdf-lib';

export async function mergePdfs(
  documents: readonly Uint8Array[],
): Promise<{ pdf: Uint8Array; pages: number }> {
  const merged = await PDFDocument.create();
  for (const document of documents) {
    const source = await PDFDocument.load(document);
    const pages = await merged.copyPages(source, source.getPageIndices());
    for (const page of pages) merged.addPage(page);
  }
  return { pdf: await merged.save(), pages: merged.getPageCount() };
}
