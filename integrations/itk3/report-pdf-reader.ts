/**
 * The report PDF of a Send Document message as it was sent. The message Bundle holds the document Bundle, whose
 * payload carries one Binary per attachment with the report PDF first (send-document-payload.ts), base64 in
 * Binary.content. Used by the archive's `show --pdf` and the print queue, which read the archived message rather
 * than render the report again.
 */
import { Itk3ParseError } from './errors';
import { readFhir } from './message-format';
import type { Binary, Bundle, Resource } from './fhir-stu3-types';

const PDF_MEDIA_TYPE = 'application/pdf';

/** Resources of the bundle in entry order, entries of nested bundles in place of the bundle. */
function* resourcesOf(resource: Resource): Generator<Resource> {
  if (resource.resourceType !== 'Bundle') {
    yield resource;
    return;
  }
  for (const entry of (resource as Bundle).entry ?? [])
    if (entry.resource) yield* resourcesOf(entry.resource);
}

/** The first PDF Binary's bytes; throws Itk3ParseError when the message is unreadable or carries no PDF. */
export function readReportPdf(body: string | Uint8Array): Buffer {
  const message = readFhir(body);
  if (message.resourceType !== 'Bundle')
    throw new Itk3ParseError('unexpected-content', 'Bundle', 'not an ITK3 message bundle');
  for (const resource of resourcesOf(message)) {
    if (resource.resourceType !== 'Binary') continue;
    const binary = resource as Binary;
    if (binary.contentType !== PDF_MEDIA_TYPE) continue;
    const pdf = Buffer.from(binary.content ?? '', 'base64');
    if (pdf.subarray(0, 5).toString('latin1') !== '%PDF-')
      throw new Itk3ParseError('invalid-field', 'Binary.content', 'the report Binary does not hold a PDF');
    return pdf;
  }
  throw new Itk3ParseError('missing-field', 'Binary', 'the message carries no PDF Binary');
}
