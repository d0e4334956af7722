/**
 * The documents that travel with a report after its PDF. A confidential consultation's linked documents are
 * clinical content like its notes, so only the report goes; the PDF's "Number of related documents" counts these.
 */
import type { ConsultationSnapshot } from './snapshot';

export function linkedDocuments<S extends ConsultationSnapshot>(snapshot: S): S['consultation']['attachments'] {
  return snapshot.consultation.confidential ? [] : snapshot.consultation.attachments;
}
