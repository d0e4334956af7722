import { z } from 'zod';

/**
 * Shapes of MESH v2 JSON responses (`Accept: application/vnd.mesh.v2+json`), as the API specification and
 * mesh-sandbox define them. Fields this client does not use are let through untouched; optional fields may be null.
 */
const optionalText = z
  .string()
  .nullish()
  .transform((value) => value ?? undefined);

export const sendResponseSchema = z.object({ message_id: z.string().min(1) }).passthrough();

export const inboxResponseSchema = z
  .object({
    messages: z.array(z.string().min(1)),
    links: z.object({ self: z.string().optional(), next: z.string().optional() }).passthrough().nullish(),
    approx_inbox_count: z.number().int().nullish(),
  })
  .passthrough();

export const trackingResponseSchema = z
  .object({
    message_id: z.string().min(1),
    local_id: optionalText,
    workflow_id: optionalText,
    filename: optionalText,
    expiry_time: optionalText,
    upload_timestamp: optionalText,
    recipient: optionalText,
    recipient_name: optionalText,
    recipient_ods_code: optionalText,
    status: optionalText,
    status_success: z
      .boolean()
      .nullish()
      .transform((value) => value ?? undefined),
    status_event: optionalText,
    status_timestamp: optionalText,
    status_description: optionalText,
    status_code: optionalText,
  })
  .passthrough();

/**
 * The deprecated by-local-id tracking endpoint answers in the v1 shape on some servers (mesh-sandbox: the id is
 * `messageId`, `dtsId`), v2 on others (`message_id`).
 */
export const trackingByLocalIdResponseSchema = z
  .object({ message_id: optionalText, messageId: optionalText, messageID: optionalText, dtsId: optionalText })
  .passthrough()
  .transform((t) => ({ messageId: t.message_id ?? t.messageId ?? t.messageID ?? t.dtsId }))
  .refine((t) => t.messageId !== undefined, 'message id missing');

export const endpointLookupResponseSchema = z
  .object({
    results: z.array(z.object({ mailbox_id: z.string().min(1), mailbox_name: z.string() }).passthrough()),
  })
  .passthrough();

/** Download headers that must be present and well-formed for the client to assemble a message. */
export const downloadHeadersSchema = z
  .object({
    'mex-messagetype': z.enum(['DATA', 'REPORT']),
    'mex-chunk-range': z
      .string()
      .regex(/^\d+:\d+$/, 'expected n:N')
      .optional(),
  })
  .passthrough();

/** Parses a `n:N` chunk range into numbers. */
export function parseChunkRange(value: string | undefined): { chunk: number; total: number } {
  if (value === undefined) return { chunk: 1, total: 1 };
  const [chunk = 1, total = 1] = value.split(':').map(Number);
  return { chunk, total: Math.max(total, 1) };
}
