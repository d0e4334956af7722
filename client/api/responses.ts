/**
 * zod schemas of what the API answers: the OpenAPI document is generated from them and the TypeScript SDK checks
 * responses against them. Typed against the interfaces they describe, so a changed interface fails to compile here.
 */
import { z } from 'zod';
import type { SubmittedConsultation } from '../encounters';
import type { EncounterStatus, ReportState } from '../../workflows/encounter-messages';
import type { ApiErrorBody, ApiErrorCode } from './errors';

/** Exhaustive by construction: a Record over the union needs every member, and only members. */
const REPORT_STATES: Record<ReportState, true> = {
  'waiting-quiet-period': true,
  sending: true,
  'awaiting-acknowledgement': true,
  acknowledged: true,
  'not-required': true,
  blocked: true,
  rejected: true,
  undeliverable: true,
  'needs-attention': true,
  resolved: true,
  cancelled: true,
};
const ERROR_CODES: Record<ApiErrorCode, true> = {
  unauthorized: true,
  invalid_request: true,
  invalid_json: true,
  unsupported_media_type: true,
  payload_too_large: true,
  invalid_encounter_id: true,
  invalid_snapshot: true,
  encounter_id_mismatch: true,
  encounter_not_found: true,
  not_found: true,
  undecodable_payload: true,
  status_unavailable: true,
  temporal_unavailable: true,
  internal_error: true,
};
const enumOf = <T extends string>(values: Record<T, true>) => z.enum(Object.keys(values) as [T, ...T[]]);

export const submittedConsultationSchema: z.ZodType<SubmittedConsultation> = z.object({
  workflowId: z.string().describe('The encounter workflow that holds the snapshot'),
  encounterId: z.string().uuid(),
  revision: z.number().int(),
});

export const encounterStatusSchema: z.ZodType<EncounterStatus> = z.object({
  encounterId: z.string(),
  state: enumOf(REPORT_STATES),
  hostingPracticeOds: z.string(),
  registeredPracticeOds: z.string().optional(),
  latestRevision: z.number().int(),
  reportVersion: z.number().int().describe('Version of the latest report sent (0 before the first)'),
  nextActionTime: z.string().optional().describe('When the workflow acts next on its own (ISO 8601)'),
  detail: z.string().optional().describe('Why the state is what it is'),
  codesReceived: z.array(
    z.object({
      version: z.number().int(),
      source: z.enum(['itk3-infrastructure', 'itk3-business', 'mesh-report']),
      code: z.string(),
      positive: z.boolean(),
      at: z.string(),
    }),
  ),
  sendsSoFar: z.number().int(),
  alerts: z.array(z.string()),
});

export const apiErrorBodySchema: z.ZodType<ApiErrorBody> = z.object({
  error: enumOf(ERROR_CODES),
  message: z.string(),
  issues: z
    .array(z.object({ field: z.string(), reason: z.string() }))
    .describe('Each rejected field and why'),
});

export const healthSchema = z.object({
  status: z.enum(['ok', 'ready', 'unavailable']),
  reason: z.string().optional(),
});
