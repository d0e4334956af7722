/** The contract of one report rendering, validated at the activity boundary (the input arrives as a payload). */
import { z } from 'zod';
import { consultationSnapshotSchema, odsCodeSchema } from '../../domain/snapshot';
import { ValidationError, fieldIssuesFromZod } from '../../domain/validation-error';

/** ITK3's recommended maximum message size, read in decimal megabytes (the stricter reading). */
export const DEFAULT_MAX_REPORT_BYTES = 5_000_000;

const renderInputSchema = z
  .object({
    snapshot: consultationSnapshotSchema,
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

export type ValidRenderReportInput = z.output<typeof renderInputSchema>;

/** Throws ValidationError naming each bad field (`snapshot.patient.nhsNumber`, `version` ...) and why. */
export function parseRenderReportInput(input: unknown): ValidRenderReportInput {
  const result = renderInputSchema.safeParse(input);
  if (!result.success) throw new ValidationError('report render input', fieldIssuesFromZod(result.error));
  return result.data;
}
