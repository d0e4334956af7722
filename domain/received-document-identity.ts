/**
 * The plain form of a received document's identifier, kept in the document inbox's plain columns so versions can be
 * linked (a replacement names the document it replaces by this identifier). The specifications ask for a UUID
 * (Composition.identifier with the RFC 4122 system, GPCM-SD-126…132); a UUID is kept as it is, in lower case. Any
 * other value is whatever the sender wrote, which could be patient data, so it is kept as a name-based UUID of
 * itself: both ends of a link are derived the same way, so links still match, and nothing odd lands in plain text.
 */
import { nameBasedUuid } from './name-based-uuid';

/** Namespace of derived document ids (a random UUID fixed once; changing it would break links to earlier rows). */
const RECEIVED_DOCUMENT_NAMESPACE = '8f4d2b6e-3c1a-4e7f-9b05-d6a2c8e1f347';

const UUID = /^(?:urn:uuid:)?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

export function plainDocumentId(identifier: string): string {
  const uuid = UUID.exec(identifier.trim())?.[1];
  return uuid ? uuid.toLowerCase() : nameBasedUuid(RECEIVED_DOCUMENT_NAMESPACE, identifier);
}
