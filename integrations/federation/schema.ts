/**
 * Version 1 of the federation settings file (examples/federation.yaml; reference in docs/eligibility.md).
 * Strict objects everywhere, so a misspelt key is an error rather than a silently ignored setting.
 */
import { z } from 'zod';
import { FILING_MODES } from '../../domain/document-filing';
import { odsCodeSchema } from '../../domain/snapshot';
import { durationSchema } from './duration';

const SECOND = 1_000;
const DAY = 86_400_000;

const name = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');

/** Each option may be set per federation and overridden per practice; unset means the built-in default. */
const reportOptionsSchema = z
  .object({
    restrictedPatients: z.enum(['block', 'skip']).optional(),
    deceasedPatients: z.enum(['send', 'block', 'skip']).optional(),
    supersededNhsNumbers: z.enum(['use-current-number', 'block']).optional(),
    spineMismatchAlert: z.boolean().optional(),
  })
  .strict();

/** How the practice's documents received through fedreport are acknowledged (docs/receiving.md, Settings). */
const receivingSchema = z
  .object({
    /** `when-filed`: the business answer follows the clinical system's filing; `on-receipt`: filed at once. */
    acknowledge: z.enum(FILING_MODES).default('when-filed'),
    /** An operator alert opens when a document waits unfiled this long (`when-filed` only). */
    unfiledAlertAfter: durationSchema({ min: 60 * SECOND, max: 30 * DAY }).default('24h'),
  })
  .strict();

const practiceSchema = z
  .object({
    name,
    /** The practice's own MESH mailbox: reports it hosts are sent from here. */
    meshMailbox: z
      .string()
      .regex(/^[A-Z0-9]{5,20}$/, 'must be a MESH mailbox id (5-20 upper-case letters or digits)'),
    /** Wait after the last update before reporting (GPCM-SD-096/097/100/101). */
    quietPeriod: durationSchema({ min: SECOND, max: 7 * DAY }).default('3h'),
    /** Report at the latest this long after the first save, however often the consultation is edited. Off when absent. */
    maxTotalWait: durationSchema({ min: SECOND, max: 30 * DAY }).optional(),
    reportOptions: reportOptionsSchema.default({}),
    receiving: receivingSchema.default({}),
  })
  .strict()
  .superRefine((practice, ctx) => {
    if (practice.maxTotalWait !== undefined && practice.maxTotalWait < practice.quietPeriod) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['maxTotalWait'],
        message: 'must not be shorter than quietPeriod',
      });
    }
  });

const federationSchema = z
  .object({
    name,
    reportOptions: reportOptionsSchema.default({}),
    /** Member practices by ODS code. */
    practices: z
      .record(odsCodeSchema, practiceSchema)
      .refine((p) => Object.keys(p).length > 0, 'needs at least one practice'),
  })
  .strict();

export const federationFileSchema = z
  .object({
    version: z.literal(1, {
      errorMap: () => ({ message: 'must be 1 (the settings format this release reads)' }),
    }),
    /** Federations by a short id (lower-case letters, digits, hyphens); `name` is what people read. */
    federations: z
      .record(
        z
          .string()
          .regex(/^[a-z0-9][a-z0-9-]*$/, 'must be a federation id (lower-case letters, digits, hyphens)'),
        federationSchema,
      )
      .refine((f) => Object.keys(f).length > 0, 'needs at least one federation'),
  })
  .strict()
  .superRefine((file, ctx) => {
    // "Same federation" (GPCM-SD-085) must have one answer, so a practice belongs to one federation only.
    const memberOf = new Map<string, string>();
    for (const [federationId, federation] of Object.entries(file.federations)) {
      for (const ods of Object.keys(federation.practices)) {
        const earlier = memberOf.get(ods);
        if (earlier !== undefined) {
          ctx.addIssue({
            code: z.ZodIssueCode.custom,
            path: ['federations', federationId, 'practices', ods],
            message: `is already a member of federation ${earlier}; a practice belongs to one federation`,
          });
        }
        memberOf.set(ods, federationId);
      }
    }
  });

export type FederationFile = z.output<typeof federationFileSchema>;
