import { z } from 'zod';
import { MeshInvalidMessageError } from './errors';

/** HTTP header values are visible ASCII; MESH also caps each mex-* header's length. Messages never echo the value. */
const headerValue = (maxLength: number) =>
  z
    .string()
    .max(maxLength, `at most ${maxLength} characters`)
    .regex(/^[\x20-\x7E]*$/, 'printable ASCII only (it travels as an HTTP header)');

/** MESH refuses mex-to, mex-workflowid and mex-content-checksum values that look like URLs (error 06). */
const notUrl = (value: string): boolean => !/^https?:\/\//i.test(value);

export const meshOutgoingMessageSchema = z.object({
  /** Recipient mailbox id, or a `GPPROVIDER_<nhs>_<dob>_<surname>` address (patient details: never logged). */
  to: headerValue(100).min(1, 'required').refine(notUrl, 'must not be a URL'),
  workflowId: headerValue(300).min(1, 'required').refine(notUrl, 'must not be a URL'),
  body: z
    .union([z.string(), z.instanceof(Uint8Array)])
    .transform((body) =>
      typeof body === 'string'
        ? Buffer.from(body, 'utf8')
        : Buffer.from(body.buffer, body.byteOffset, body.byteLength),
    )
    .refine((body) => body.length > 0, 'must not be empty (MESH answers 417 MissingDataFile)'),
  /** Free text (GP Connect puts patient details here: never logged). */
  subject: headerValue(500).optional(),
  /** The sender's own reference; must carry no patient details. Reported back by MeshUnknownOutcomeError. */
  localId: headerValue(300).optional(),
  filename: headerValue(300).optional(),
  /** MIME type of the content once decoded, e.g. application/fhir+xml. */
  contentType: headerValue(100).optional(),
  checksum: headerValue(100).refine(notUrl, 'must not be a URL').optional(),
  partnerId: headerValue(500).optional(),
  /** Transport compression: gzip each chunk independently and send Content-Encoding: gzip. */
  compress: z.boolean().default(false),
  /** mex-content-compressed: the payload itself is compressed (a flag MESH passes through untouched). */
  contentCompressed: z.boolean().optional(),
  /** mex-content-encrypted: the payload itself is encrypted (passed through untouched). */
  contentEncrypted: z.boolean().optional(),
});

export type MeshOutgoingMessage = z.input<typeof meshOutgoingMessageSchema>;
export type ValidMeshOutgoingMessage = z.output<typeof meshOutgoingMessageSchema>;

export function validateOutgoingMessage(message: MeshOutgoingMessage): ValidMeshOutgoingMessage {
  const result = meshOutgoingMessageSchema.safeParse(message);
  if (result.success) return result.data;
  throw new MeshInvalidMessageError(
    result.error.issues.map((issue) => ({
      field: issue.path.join('.') || '(message)',
      reason: issue.message,
    })),
  );
}

export interface MeshSendResult {
  messageId: string;
  chunks: number;
}

export type MeshMessageType = 'DATA' | 'REPORT';

/** A downloaded message. `to` and `subject` carry patient details: hand them on, never log them. */
export interface MeshIncomingMessage {
  messageId: string;
  messageType: MeshMessageType;
  from?: string;
  to?: string;
  workflowId?: string;
  subject?: string;
  localId?: string;
  filename?: string;
  /** From mex-content-type, else the response Content-Type. */
  contentType?: string;
  partnerId?: string;
  checksum?: string;
  /** The mex-content-compressed flag as received. mesh-sandbox also sets it when it gzips the transfer itself, so
   * only Content-Encoding (already undone in `body`) says how the bytes travelled. */
  contentCompressed: boolean;
  contentEncrypted: boolean;
  /** REPORT messages: the id of the message the report is about. */
  linkedMessageId?: string;
  status: {
    success: boolean;
    /** "00" for a delivered DATA message; e.g. "14" undelivered, "EPL-151" for a failed GPPROVIDER lookup. */
    code?: string;
    event?: string;
    description?: string;
    /** `yyyyMMddHHmmss` as MESH sends it. */
    timestamp?: string;
  };
  chunks: number;
  /** The complete, decoded content (empty for REPORT messages). */
  body: Buffer;
}

export interface MeshInboxPage {
  messageIds: string[];
  /** Path of the next page (links.next), when MESH has more. */
  nextPath?: string;
  approxInboxCount?: number;
}

export interface MeshTrackingInfo {
  messageId: string;
  localId?: string;
  workflowId?: string;
  filename?: string;
  recipient?: string;
  recipientName?: string;
  recipientOdsCode?: string;
  /** e.g. accepted, acknowledged, undeliverable, error. */
  status?: string;
  statusSuccess?: boolean;
  statusEvent?: string;
  statusCode?: string;
  statusDescription?: string;
  statusTimestamp?: string;
  uploadTimestamp?: string;
  expiryTime?: string;
}

export interface MeshMailboxMatch {
  mailboxId: string;
  mailboxName: string;
}
