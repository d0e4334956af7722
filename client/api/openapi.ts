/**
 * The API's OpenAPI 3.1 document, generated from the same zod schemas that validate requests, so the document cannot
 * drift from the behaviour. @asteasolutions/zod-to-openapi builds whole documents (paths, responses, security) from
 * zod and is actively maintained; its 7.x line is the one for zod 3 schemas, which the snapshot contract uses
 * (zod-to-json-schema, the other candidate, is deprecated by its author since zod 4 converts natively).
 */
import {
  extendZodWithOpenApi,
  OpenAPIRegistry,
  OpenApiGeneratorV31,
  type ResponseConfig,
} from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { reconciliationRequestSchema } from '../../domain/reconciliation';
import { consultationSnapshotSchema, odsCodeSchema } from '../../domain/snapshot';
import { withdrawalSchema } from '../../domain/withdrawal';
import { registerArchivePaths } from './archive-openapi';
import { registerDocumentPaths } from './document-openapi';
import type { ApiAuth } from './auth';
import {
  apiErrorBodySchema,
  encounterStatusSchema,
  healthSchema,
  reconciliationReportSchema,
  submittedConsultationSchema,
  withdrawnEncounterSchema,
} from './responses';

// Adds `.openapi()` to zod's prototype (the registry needs it); validation behaviour is unchanged.
extendZodWithOpenApi(z);

/** Path parameter of the encounter routes; the clinical system's encounter GUID. */
export const encounterIdParamSchema = z.string().uuid('must be a GUID');

export function buildOpenApiDocument(authMode: ApiAuth['mode']): object {
  const registry = new OpenAPIRegistry();
  const security =
    authMode === 'bearer'
      ? registry.registerComponent('securitySchemes', 'bearerToken', { type: 'http', scheme: 'bearer' })
      : // OpenAPI 3.1's mutualTLS scheme is newer than the typings of zod-to-openapi 7 (openapi3-ts).
        registry.registerComponent('securitySchemes', 'clientCertificate', { type: 'mutualTLS' } as never);
  const secured = [{ [security.name]: [] }];
  const snapshot = registry.register('ConsultationSnapshot', consultationSnapshotSchema);
  const error = registry.register('Error', apiErrorBodySchema);
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
      202: {
        description: 'Accepted: the snapshot is durably with the encounter workflow',
        ...json(submittedConsultationSchema),
      },
      400: rejection('Malformed request: invalid JSON, or the path id is not a GUID'),
      401: rejection('Missing or unaccepted credentials'),
      403: rejection(
        "The credential does not act for the snapshot's hosting practice (`practice_not_permitted`); nothing is started",
      ),
      429: rejection(
        'Too many requests with this credential (`rate_limited`); retry after the Retry-After seconds',
      ),
      413: rejection(
        'The body exceeds the configured limit (`payload_too_large`), the attachments hold more than 5 MiB decoded ' +
          "(`attachments_too_large`, ITK3's limit), or the snapshot, encoded for Temporal, exceeds the snapshot budget " +
          '(`snapshot_too_large`): the reason names the size and the limit. Never retry as is',
      ),
      415: rejection('The body is not application/json'),
      422: rejection(
        'The snapshot violates the contract (`invalid_snapshot`), its encounterId differs from the path ' +
          '(`encounter_id_mismatch`), or it names another hosting practice than the encounter (`hosting_practice_mismatch`)',
      ),
      503: rejection(
        'Temporal is unreachable or did not answer in time (`temporal_unavailable`); retry later',
      ),
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
      404: rejection(
        'No workflow for this encounter, or one of a practice the credential does not act for (answered alike)',
      ),
      429: rejection(
        'Too many requests with this credential (`rate_limited`); retry after the Retry-After seconds',
      ),
      503: rejection('Temporal is unreachable, or no worker answered in time'),
    },
  });
  registerWithdrawalPath(registry, { secured, params, json, rejection });
  registerReconciliationPath(registry, { secured, json, rejection });
  registerArchivePaths(registry, { secured, json, rejection });
  registerDocumentPaths(registry, { secured, json, rejection });
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
      description:
        'Report consultations of patients registered at another practice of the federation. See docs/api.md.',
    },
  });
}

export interface PathParts {
  secured: { [scheme: string]: string[] }[];
  params?: z.AnyZodObject;
  json: <T extends z.ZodTypeAny>(schema: T) => { content: { 'application/json': { schema: T } } };
  rejection: (description: string) => ResponseConfig;
}

function registerWithdrawalPath(
  registry: OpenAPIRegistry,
  { secured, params, json, rejection }: PathParts,
): void {
  const withdrawal = registry.register('Withdrawal', withdrawalSchema);
  registry.registerPath({
    method: 'post',
    path: '/v1/encounters/{encounterId}/withdrawal',
    summary: 'The consultation was deleted, or entered in error',
    description:
      'Before the report is sent, cancels it; after, alerts an operator to contact the registered practice (ITK3 ' +
      'has no message to withdraw a sent document). Repeating the same withdrawal (same reason and `at`) answers the ' +
      'first outcome again.',
    security: secured,
    request: { params, body: { required: true, ...json(withdrawal) } },
    responses: {
      200: { description: 'The encounter accepted the withdrawal', ...json(withdrawnEncounterSchema) },
      400: rejection('Malformed request: invalid JSON, or the path id is not a GUID'),
      401: rejection('Missing or unaccepted credentials'),
      404: rejection(
        'No consultation of this encounter was submitted, or it is of a practice the credential does not act for ' +
          '(`encounter_not_found`, answered alike)',
      ),
      429: rejection(
        'Too many requests with this credential (`rate_limited`); retry after the Retry-After seconds',
      ),
      409: rejection(
        'The encounter refused the withdrawal (`withdrawal_refused`): e.g. already withdrawn, or its reporting has finished',
      ),
      415: rejection('The body is not application/json'),
      422: rejection('The body violates the withdrawal contract (`invalid_withdrawal`)'),
      503: rejection('Temporal is unreachable, or no worker answered in time; retry later'),
    },
  });
}

function registerReconciliationPath(
  registry: OpenAPIRegistry,
  { secured, json, rejection }: PathParts,
): void {
  const request = registry.register('ReconciliationRequest', reconciliationRequestSchema);
  const report = registry.register('ReconciliationReport', reconciliationReportSchema);
  registry.registerPath({
    method: 'post',
    path: '/v1/practices/{ods}/reconciliation',
    summary: 'Completeness reconciliation: which of these encounters fedreport holds, and their state',
    description:
      'The clinical system lists the federated encounter GUIDs it saved for the practice in a period (at most ' +
      '10,000); the answer names those fedreport never received (missed hooks) and the state of the others.',
    security: secured,
    request: { params: z.object({ ods: odsCodeSchema }), body: { required: true, ...json(request) } },
    responses: {
      200: { description: 'The reconciliation', ...json(report) },
      400: rejection(
        'Malformed request: invalid JSON, or the path is not an ODS code (`invalid_practice_ods`)',
      ),
      401: rejection('Missing or unaccepted credentials'),
      403: rejection('The credential does not act for this practice (`practice_not_permitted`)'),
      429: rejection(
        'Too many requests with this credential (`rate_limited`); retry after the Retry-After seconds',
      ),
      415: rejection('The body is not application/json'),
      422: rejection('The body violates the request contract (`invalid_reconciliation`)'),
      503: rejection('Temporal is unreachable or did not answer in time; retry later'),
    },
  });
}
