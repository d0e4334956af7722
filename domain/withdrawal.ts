/**
 * The clinical system's word that a consultation was deleted or entered in error: what fedreport is told, validated
 * at the door. Pure (zod only), so workflow code may import the type.
 */
import { z } from 'zod';
import { isoDateTime } from './snapshot';
import { parseBounded } from './input-bounds';
import { characterXmlCannotCarry } from './xml-text';

/** `deleted`: the consultation no longer exists; `entered-in-error`: it was recorded against the wrong patient or by mistake. */
export const WITHDRAWAL_REASONS = ['deleted', 'entered-in-error'] as const;
export type WithdrawalReason = (typeof WITHDRAWAL_REASONS)[number];

export const withdrawalSchema = z
  .object({
    reason: z.enum(WITHDRAWAL_REASONS),
    /** Who withdrew it at the clinical system (a user or system id, no patient data): shown in the status and alert. */
    requestedBy: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(100, 'must be at most 100 characters')
      .refine((text) => characterXmlCannotCarry(text) === undefined, 'must not contain control characters'),
    /** When the clinical system withdrew it (its clock). */
    at: isoDateTime,
  })
  .strict();

export type Withdrawal = z.output<typeof withdrawalSchema>;

/** Parses untrusted input; throws ValidationError naming each field and reason (never the value). */
export function parseWithdrawal(input: unknown): Withdrawal {
  return parseBounded(withdrawalSchema, input, 'withdrawal');
}
