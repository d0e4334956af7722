/**
 * The API's OpenAPI 3.1 document, generated from the same zod schemas that validate requests, so the document cannot
 * drift from the behaviour. @asteasolutions/zod-to-openapi builds whole documents (paths, responses, security) from
 * zod and is actively maintained; its 7.x line is the one for zod 3 schemas, which the snapshot contract uses
 * (zod-to-json-schema, the other candidate, is deprecated by its author since zod 4 converts natively).
 */
import { extendZodWithOpenApi, OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { consultationSnapshotSchema } from '../../domain/snapshot';
import type { EncounterStatus, ReportState } from '../../workflows/encounter-messages';
import type { ApiAuth } from './auth';
import type { ApiErrorBody, ApiErrorCode } from './errors';

extendZodWithOpenApi(z);

/** Path parameter of both encounter routes; the clinical system's encounter GUID. */
export const encounterIdParamSchema = z.string().uuid('must be a GUID');

const ALL_STATES: Record<ReportState, true> = {
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
const ALL_ERROR_CODES: Record<ApiErrorCode, true> = {
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

const submittedSchema = z.object({
  workflowId: z.string().openapi({ description: 'The encounter workflow that received the snapshot' }),
  encounterId: z.string().uuid(),
  revision: z.number().int(),
});

const encounterStatusSchema: z.ZodType<EncounterStatus> = z.object({
  encounterId: z.string(),
  state: enumOf(ALL_STATES),
  hostingPracticeOds: z.string(),
  registeredPracticeOds: z.string().optional(),
  latestRevision: z.number().int(),
  reportVersion: z.number().int().openapi({ description: 'Version of the latest report sent (0 before the first)' }),
  nextActionTime: z.string().datetime().optional().openapi({ description: 'When the workflow acts next on its own' }),
  detail: z.string().optional(),
  codesReceived: z.array(
    z.object({
      version: z.number().int(),
      source: z.enum(['itk3-infrastructure', 'itk3-business', 'mesh-report']),
      code: z.string(),
      positive: z.boolean(),
      at: z.string().datetime(),
    }),
  ),
  sendsSoFar: z.number().int(),
  alerts: z.array(z.string()),
});

const errorBodySchema: z.ZodType<ApiErrorBody> = z.object({
  error: enumOf(ALL_ERROR_CODES),
  message: z.string(),
  issues: z.array(z.object({ field: z.string(), reason: z.string() })).openapi({ description: 'Each rejected field and why' }),
});

const healthSchema = z.object({ status: z.enum(['ok', 'ready', 'unavailable']), reason: z.string().optional() });

export function buildOpenApiDocument(authMode: ApiAuth['mode']): object {
  const registry = new OpenAPIRegistry();
  const security =
    authMode === 'bearer'
      ? registry.registerComponent('securitySchemes', 'bearerToken', { type: 'http', scheme: 'bearer' })
      : registry.registerComponent('securitySchemes', 'clientCertificate', { type: 'mutualTLS' } as never);
  const secured = [{ [security.name]: [] }];
  const snapshot = registry.register('ConsultationSnapshot', consultationSnapshotSchema);
  const error = registry.register('Error', errorBodySchema);
  const status = registry.register('EncounterStatus', encounterStatusSchema);
  const json = <T extends z.ZodTypeAny>(schema: T) => ({ content: { 'application/json': { schema } } });
  const rejection = (description: string) => ({ description, ...json(error) });
  const params = z.object({ encounterId: encounterIdParamSchema });

  registry.registerPath({
    method: 'post',
    path: '/v1/encounters/{encounterId}/events',
    summary: 'Consultation saved (created or updated): the complete snapshot',
    description:
      'Starts the encounter workflow or signals the running one. Idempotent by revision: repeating a revision, or sending ' +
      'an older one, is accepted (202) and ignored by the workflow. Every rejection starts or changes nothing.',
    security: secured,
    request: { params, body: { required: true, ...json(snapshot) } },
    responses: {
      202: { description: 'Accepted: the snapshot is durably with the encounter workflow', ...json(submittedSchema) },
      400: rejection('Malformed request: invalid JSON, or the path id is not a GUID'),
      401: rejection('Missing or unaccepted credentials'),
      413: rejection('The body exceeds the configured limit'),
      415: rejection('The body is not application/json'),
      422: rejection('The snapshot violates the contract (`invalid_snapshot`), or its encounterId differs from the path (`encounter_id_mismatch`)'),
      503: rejection('Temporal is unreachable; retry later'),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/encounters/{encounterId}',
    summary: 'Reporting status of an encounter',
    security: secured,
    request: { params },
    responses: {
      200: { description: 'The status as the encounter workflow reports it', ...json(status) },
      400: rejection('The path id is not a GUID'),
      401: rejection('Missing or unaccepted credentials'),
      404: rejection('No workflow for this encounter'),
      503: rejection('Temporal is unreachable, or no worker answered in time'),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/health',
    summary: 'Liveness: the process serves requests',
    responses: { 200: { description: 'Alive', ...json(healthSchema) } },
  });
  registry.registerPath({
    method: 'get',
    path: '/ready',
    summary: 'Readiness: Temporal is reachable',
    responses: {
      200: { description: 'Ready', ...json(healthSchema) },
      503: { description: 'Temporal is unreachable', ...json(healthSchema) },
    },
  });

  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'fedreport clinical-system API',
      version: '1',
      description: 'Report consultations of patients registered at another practice of the federation. See docs/api.md.',
    },
  });
}
