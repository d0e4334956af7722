/**
 * zod schemas of what the API answers: the OpenAPI document is generated from them and the TypeScript SDK checks
 * responses against them. Typed against the interfaces they describe, so a changed interface fails to compile here.
 */
import { z } from 'zod';
import type { SubmittedConsultation, WithdrawnEncounter } from '../encounters';
import type { ReconciliationReport } from '../reconciliation';
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
  snapshot_too_large: true,
  attachments_too_large: true,
  invalid_encounter_id: true,
  invalid_practice_ods: true,
  invalid_snapshot: true,
  invalid_withdrawal: true,
  invalid_reconciliation: true,
  encounter_id_mismatch: true,
  hosting_practice_mismatch: true,
  encounter_not_found: true,
  practice_not_permitted: true,
  withdrawal_refused: true,
  withdrawal_unavailable: true,
  filing_refused: true,
  filing_unavailable: true,
  not_found: true,
  rate_limited: true,
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

export const withdrawnEncounterSchema: z.ZodType<WithdrawnEncounter> = z.object({
  workflowId: z.string(),
  encounterId: z.string().uuid(),
  state: enumOf(REPORT_STATES).describe('The report state once the withdrawal is applied'),
  outcome: z
    .enum(['cancelled-before-send', 'operator-alerted'])
    .describe(
      'No report had gone out and none will, or one had and an operator was alerted to contact the registered practice',
    ),
});

export const reconciliationReportSchema: z.ZodType<ReconciliationReport> = z.object({
  practiceOds: z.string(),
  from: z.string(),
  to: z.string(),
  checked: z.number().int().describe('Distinct encounter GUIDs compared (case-insensitive)'),
  missing: z
    .array(z.string())
    .describe('GUIDs fedreport holds no encounter for: saves whose hook never arrived'),
  otherPractice: z
    .array(z.string())
    .describe('GUIDs fedreport holds for another hosting practice than the one in the path'),
  encounters: z
    .array(z.object({ encounterId: z.string(), state: z.string(), running: z.boolean() }))
    .describe("The practice's encounters: reporting state, and whether their workflow still runs"),
  states: z.record(z.number().int()).describe('How many of `encounters` are in each state'),
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
