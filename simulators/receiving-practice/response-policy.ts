/**
 * How the simulated practice answers: the behaviour a test or operator configures (globally and per patient) and the
 * acknowledgements that follow for one incoming message. ITK3 response patterns (domain-reference §4.4): an
 * infrastructure response (1xxxx/2xxxx) first and, only if it was positive, a business response (3xxxx); a negative
 * code ends processing.
 */
import { z } from 'zod';
import type { Rejection } from '../../integrations/itk3/incoming-assessment';
import { ITK3_RESPONSE_CODES, responseKindOf } from '../../integrations/itk3/response-codes';
import { fieldIssuesFromZod, ValidationError } from '../../domain/validation-error';
import { nhsNumberSchema } from '../../domain/snapshot';

export const INFRASTRUCTURE_SUCCESS = '20013';
export const PATIENT_KNOWN_HERE = '30001';
const PATIENT_KNOWN_RECENTLY_DECEASED = '30004';

/** A day: longer delays would outlive any test and look like a typing mistake. */
const MAX_DELAY_MS = 24 * 60 * 60 * 1000;

const negativeCode = z
  .string()
  .regex(/^\d{5}$/, 'must be a five-digit ITK3 response code')
  .refine(
    (code) => ITK3_RESPONSE_CODES[code] !== undefined && !ITK3_RESPONSE_CODES[code]?.positive,
    'must be a negative code of ITK-ResponseCodes-1 (e.g. 20009, 30002)',
  );

export const responsePolicySchema = z.discriminatedUnion('mode', [
  /** 20013, then 30001 (or 30004: patient known here and recently deceased). */
  z
    .object({
      mode: z.literal('positive'),
      businessCode: z.enum([PATIENT_KNOWN_HERE, PATIENT_KNOWN_RECENTLY_DECEASED]).optional(),
    })
    .strict(),
  /** An infrastructure code is the only answer; a business code follows a positive 20013. */
  z
    .object({
      mode: z.literal('negative'),
      code: negativeCode,
      /** OperationOutcome.issue.diagnostics; goes to the sender, so it must not carry patient data (FHIR-BA-02). */
      diagnostics: z.string().min(1).max(500).optional(),
    })
    .strict(),
  /** No answer at all: a practice system that takes messages off MESH but never responds. */
  z.object({ mode: z.literal('none') }).strict(),
  /** The positive answers, each sent this long after the message was downloaded. */
  z
    .object({
      mode: z.literal('delayed'),
      delayMs: z.number().int('must be a whole number').min(0).max(MAX_DELAY_MS),
    })
    .strict(),
  /** 20013 and no business response: the business acknowledgement window runs out at the sender. */
  z.object({ mode: z.literal('infrastructure-only') }).strict(),
]);

export type ResponsePolicy = z.infer<typeof responsePolicySchema>;

/**
 * Per-patient rules are a list rather than a map keyed by NHS number: a rejected entry is then named by its index,
 * so validation errors (which reach logs and HTTP answers) never quote an NHS number.
 */
export const simulatorBehaviourSchema = z
  .object({
    default: responsePolicySchema.default({ mode: 'positive' }),
    patients: z
      .array(z.object({ nhsNumber: nhsNumberSchema, policy: responsePolicySchema }).strict())
      .max(10_000)
      .default([]),
  })
  .strict()
  .superRefine((behaviour, ctx) => {
    const seen = new Set<string>();
    behaviour.patients.forEach((rule, index) => {
      if (seen.has(rule.nhsNumber)) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['patients', index, 'nhsNumber'],
          message: 'repeats an earlier entry',
        });
      }
      seen.add(rule.nhsNumber);
    });
  });

export type SimulatorBehaviour = z.input<typeof simulatorBehaviourSchema>;

/** The validated behaviour, per-patient rules indexed by normalised NHS number. Held in memory only. */
export interface ResolvedBehaviour {
  default: ResponsePolicy;
  patients: ReadonlyMap<string, ResponsePolicy>;
}

/** Throws ValidationError naming each field (by index for patients) and the reason. */
export function parseSimulatorBehaviour(input: unknown): ResolvedBehaviour {
  const parsed = simulatorBehaviourSchema.safeParse(input);
  if (!parsed.success) throw new ValidationError('simulator behaviour', fieldIssuesFromZod(parsed.error));
  return {
    default: parsed.data.default,
    patients: new Map(parsed.data.patients.map((rule) => [rule.nhsNumber, rule.policy])),
  };
}

export function policyFor(behaviour: ResolvedBehaviour, nhsNumber: string | undefined): ResponsePolicy {
  return (nhsNumber === undefined ? undefined : behaviour.patients.get(nhsNumber)) ?? behaviour.default;
}

/** One acknowledgement to send: its ITK3 code and, for a negative one, why. */
export interface PlannedAnswer {
  code: string;
  diagnostics?: string;
}

/** The acknowledgements to send for one message, in order, after `delayMs`. */
export interface AnswerPlan {
  delayMs: number;
  answers: PlannedAnswer[];
}


const SUCCESS: PlannedAnswer = { code: INFRASTRUCTURE_SUCCESS };

/**
 * The policy decides whether and when the practice answers; a rejected message always gets its negative
 * infrastructure code instead of what the policy would otherwise send. Null: no answer.
 */
export function planAnswers(policy: ResponsePolicy, rejection: Rejection | undefined): AnswerPlan | null {
  if (policy.mode === 'none') return null;
  const delayMs = policy.mode === 'delayed' ? policy.delayMs : 0;
  if (rejection) return { delayMs, answers: [rejection] };
  switch (policy.mode) {
    case 'positive':
      return { delayMs, answers: [SUCCESS, { code: policy.businessCode ?? PATIENT_KNOWN_HERE }] };
    case 'delayed':
      return { delayMs, answers: [SUCCESS, { code: PATIENT_KNOWN_HERE }] };
    case 'infrastructure-only':
      return { delayMs, answers: [SUCCESS] };
    case 'negative': {
      const negative = { code: policy.code, diagnostics: policy.diagnostics };
      return {
        delayMs,
        answers: responseKindOf(policy.code) === 'business' ? [SUCCESS, negative] : [negative],
      };
    }
  }
}
