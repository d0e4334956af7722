/**
 * The contract of one report rendering. The snapshot is taken as given: it was validated when it arrived and a
 * stored one is upgraded to the current contract by the caller (domain/snapshot-versions.ts); validating it again
 * here against today's schema would refuse every in-flight encounter after a contract change.
 */
import { z } from 'zod';
import { odsCodeSchema, type ConsultationSnapshot } from '../../domain/snapshot';
import { ValidationError, fieldIssuesFromZod } from '../../domain/validation-error';

/** ITK3's recommended maximum message size, read in decimal megabytes (the stricter reading). */
export const DEFAULT_MAX_REPORT_BYTES = 5_000_000;

const renderOptionsSchema = z
  .object({
    version: z.number().int('must be an integer').min(1, 'must be at least 1'),
    receivingPractice: z
      .object({
        odsCode: odsCodeSchema,
        name: z
          .string()
          .trim()
          .min(1, 'must not be empty')
          .max(200, 'must be at most 200 characters')
          .optional(),
      })
      .strict(),
    maxBytes: z
      .number()
      .int('must be an integer')
      .positive('must be positive')
      .default(DEFAULT_MAX_REPORT_BYTES),
  })
  .strict();

export type ValidRenderReportInput = z.output<typeof renderOptionsSchema> & {
  snapshot: ConsultationSnapshot;
};

/** Throws ValidationError naming each bad field (`version`, `receivingPractice.odsCode` ...) and why. */
export function parseRenderReportInput(input: {
  snapshot: ConsultationSnapshot;
  version: unknown;
  receivingPractice: unknown;
  maxBytes?: unknown;
}): ValidRenderReportInput {
  const { snapshot, ...options } = input;
  const result = renderOptionsSchema.safeParse(options);
  if (!result.success) throw new ValidationError('report render input', fieldIssuesFromZod(result.error));
  return { snapshot, ...result.data };
}
