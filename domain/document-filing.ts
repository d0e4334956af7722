/**
 * How a practice's clinical system settles a received document (docs/receiving.md, The document API): filed, or
 * rejected with a negative business code and a reason; and the practice's filing settings. Pure (zod only), so the
 * received-message workflow validates a filing command with the same contract the API and CLI use.
 */
import { z } from 'zod';
import { parseBounded } from './input-bounds';
import { characterXmlCannotCarry } from './xml-text';

/** "acknowledge on receipt" files every document at once; "acknowledge when filed" waits for the clinical system. */
export const FILING_MODES = ['on-receipt', 'when-filed'] as const;
export type FilingMode = (typeof FILING_MODES)[number];

/** A practice's filing settings (integrations/federation/schema.ts, `receiving`). */
export interface FilingSettings {
  mode: FilingMode;
  /** An operator alert opens when a document waits unfiled this long ("when filed" only). */
  unfiledAlertAfterMs: number;
}

/** The negative business codes a practice may answer by refusing a document (domain-reference §4.4). */
export const REFUSAL_CODES = ['30002', '30003'] as const;

export const documentRejectionSchema = z
  .object({
    /** 30002: the patient is not known here; 30003: no longer registered here. */
    code: z.enum(REFUSAL_CODES),
    /** Kept sealed in the document inbox and never sent: it may name the patient. */
    reason: z
      .string()
      .trim()
      .min(1, 'must say why the document is refused')
      .max(1000, 'must be at most 1000 characters')
      .refine((text) => characterXmlCannotCarry(text) === undefined, 'must not contain control characters'),
  })
  .strict();

export type DocumentRejection = z.output<typeof documentRejectionSchema>;

/** The clinical system's word on one document. */
export type FilingOutcome = { outcome: 'filed' } | ({ outcome: 'rejected' } & DocumentRejection);

export const filingOutcomeSchema = z.discriminatedUnion('outcome', [
  z.object({ outcome: z.literal('filed') }).strict(),
  documentRejectionSchema.extend({ outcome: z.literal('rejected') }),
]);

/** Parses untrusted input; throws ValidationError naming each field and reason (never the value). */
export function parseDocumentRejection(input: unknown): DocumentRejection {
  return parseBounded(documentRejectionSchema, input, 'document rejection');
}

export function parseFilingOutcome(input: unknown): FilingOutcome {
  return parseBounded(filingOutcomeSchema, input, 'document filing');
}
