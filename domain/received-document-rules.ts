/**
 * What fedreport's receiver accepts as a Send Document attachment and how large a received message may be. ITK3
 * leaves the list of approved attachment types to the receiver (20004 "Non-approved file type received as an
 * attachment") and recommends at most 5 MB per message (20015 "Message too large"; domain-reference §2.7, §4.5).
 */

/**
 * The report PDF (GPCM-SD-111) and the kinds of document a consultation links to that a GP system files as they
 * are: images, plain and rich text, word-processor documents. Executables, archives and scripts are not approved.
 */
export const APPROVED_ATTACHMENT_TYPES: readonly string[] = [
  'application/pdf',
  'image/jpeg',
  'image/png',
  'image/gif',
  'image/tiff',
  'text/plain',
  'text/rtf',
  'application/rtf',
  'application/msword',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
];

export const PDF_CONTENT_TYPE = 'application/pdf';

/** ITK3's recommended maximum message size; a practice setting may raise it up to MESH's own limit. */
export const DEFAULT_MAX_MESSAGE_BYTES = 5 * 1024 * 1024;

/** `Application/PDF; charset=…` is `application/pdf`: MIME types are case-insensitive and parameters do not count. */
export function mediaTypeOf(contentType: string): string {
  return (contentType.split(';')[0] ?? '').trim().toLowerCase();
}

export function isApprovedAttachmentType(contentType: string): boolean {
  return APPROVED_ATTACHMENT_TYPES.includes(mediaTypeOf(contentType));
}

/** Decoded size of well-formed base64 text, without decoding it. */
export function base64ByteLength(base64: string): number {
  const padding = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0;
  return (base64.length / 4) * 3 - padding;
}
