/** The document inbox routes in the OpenAPI document (document-routes.ts), from the schemas that validate them. */
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { documentRejectionSchema } from '../../domain/document-filing';
import { RECEIVED_DOCUMENT_STATES } from '../../integrations/store/received-document-repository';
import { documentIdSchema } from '../received-documents';
import { documentListSchema } from './document-routes';
import type { PathParts } from './openapi';

const summarySchema = z.object({
  meshMessageId: z.string().describe('The document id: the MESH message id it arrived with'),
  messageHeaderId: z.string().describe("The original's MessageHeader id"),
  encounterGuid: z.string().describe("The SenderReference: the sending practice's encounter GUID"),
  senderOds: z.string(),
  practiceOds: z.string().describe('The receiving practice'),
  receivedAt: z.string().datetime(),
  state: z.enum(RECEIVED_DOCUMENT_STATES).describe('held: new, not filed or rejected yet'),
  superseded: z
    .boolean()
    .describe('A later version of the same report has arrived: file this one as an earlier version'),
});

const metadataSchema = summarySchema.extend({
  nhsNumber: z.string(),
  documentId: z
    .string()
    .describe('Composition.identifier (v1.3+) or the DocumentReference identity (v1.2.x)'),
  payloadVersion: z.enum(['composition', 'task']),
  version: z.number().int().optional().describe('The report version, when the sender gives it'),
  replacesDocumentId: z.string().optional().describe('The document this one replaces'),
  replacesMessages: z
    .array(z.string())
    .describe("This practice's received documents (MESH message ids) holding the version this one replaces"),
  supersededByMessages: z
    .array(z.string())
    .describe(
      "This practice's received documents (MESH message ids) holding the version that supersedes this one",
    ),
  attachments: z.array(z.object({ contentType: z.string(), bytes: z.number().int() })),
  refusal: z.object({ code: z.string(), reason: z.string() }).optional(),
});

const settledSchema = z.object({ meshMessageId: z.string(), state: z.enum(['filed', 'refused']) });

export function registerDocumentPaths(
  registry: OpenAPIRegistry,
  { secured, json, rejection }: Omit<PathParts, 'params'>,
): void {
  const params = z.object({ meshMessageId: documentIdSchema });
  const common = {
    400: rejection('The path id is not a MESH message id'),
    401: rejection('Missing or unaccepted credentials'),
    404: rejection(
      'No received document has this id, or it is of a practice the credential does not act for (`not_found`, answered alike)',
    ),
  };
  const settling = {
    ...common,
    409: rejection(
      'The document cannot take the command (`filing_refused`): already filed or rejected; the reason says which',
    ),
    503: rejection(
      'Temporal is unreachable, or no worker answered in time; list the document before repeating',
    ),
  };
  registry.registerPath({
    method: 'get',
    path: '/v1/documents',
    summary: "Documents received for the credential's practices, oldest first (new ones by default)",
    security: secured,
    request: { query: documentListSchema.extend({ after: z.string().optional() }) },
    responses: {
      200: {
        description: 'A page of documents; `next`, when present, is the `after` of the next page',
        ...json(z.object({ documents: z.array(summarySchema), next: z.string().optional() })),
      },
      401: rejection('Missing or unaccepted credentials'),
      403: rejection(
        'practiceOds names a practice the credential does not act for (`practice_not_permitted`)',
      ),
      422: rejection('The query is invalid (`invalid_request`): each issue names the parameter'),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/documents/{meshMessageId}',
    summary: "One received document's metadata (the NHS number included)",
    security: secured,
    request: { params },
    responses: {
      200: { description: 'The metadata', ...json(registry.register('ReceivedDocument', metadataSchema)) },
      ...common,
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/documents/{meshMessageId}/pdf',
    summary: 'The report PDF of a received document, as received',
    security: secured,
    request: { params },
    responses: {
      200: { description: 'The PDF', content: { 'application/pdf': { schema: z.string() } } },
      ...common,
    },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/documents/{meshMessageId}/filed',
    summary:
      'The clinical system filed the document: the business answer (30001/30004 as PDS decides) goes out',
    description: 'No body.',
    security: secured,
    request: { params },
    responses: { 200: { description: 'Filed', ...json(settledSchema) }, ...settling },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/documents/{meshMessageId}/rejection',
    summary:
      'The clinical system refuses the document: its negative business code goes out, the reason stays here',
    description:
      '30002: the patient is not known here; 30003: no longer registered here. The reason is kept sealed in the ' +
      'document inbox and never sent (it may name the patient).',
    security: secured,
    request: {
      params,
      body: { required: true, ...json(registry.register('DocumentRejection', documentRejectionSchema)) },
    },
    responses: {
      200: { description: 'Refused', ...json(settledSchema) },
      ...settling,
      415: rejection('The body is not application/json'),
      422: rejection('The body is invalid (`invalid_request`): each issue names the field'),
    },
  });
}
