/** The archive routes in the OpenAPI document (archive-routes.ts), from the schemas that validate their requests. */
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { ANSWER_KINDS, SENT_MESSAGE_STATES } from '../../integrations/store/archive-schema';
import { archiveSearchSchema, localIdParamSchema } from './archive-routes';
import type { PathParts } from './openapi';

const summarySchema = z.object({
  localId: z.string().uuid(),
  meshMessageId: z.string().nullable(),
  encounterGuid: z.string().uuid(),
  reportVersion: z.number().int(),
  senderOds: z.string(),
  recipientOds: z.string(),
  sha256: z.string(),
  state: z.enum(SENT_MESSAGE_STATES),
  createdAt: z.string().datetime(),
  sentAt: z.string().datetime().nullable(),
});

const messageSchema = summarySchema.extend({
  answers: z.array(
    z.object({
      kind: z.enum(ANSWER_KINDS),
      meshMessageId: z.string(),
      code: z.string(),
      receivedAt: z.string().datetime(),
    }),
  ),
});

export function registerArchivePaths(
  registry: OpenAPIRegistry,
  { secured, json, rejection }: Omit<PathParts, 'params'>,
): void {
  const params = z.object({ localId: localIdParamSchema });
  const unknownMessage = rejection(
    'No archived message has this id, or it is neither from nor to a practice the credential acts for (`not_found`, answered alike)',
  );
  registry.registerPath({
    method: 'post',
    path: '/v1/archive/search',
    summary: 'Archived sent messages, newest first: every criterion given must match',
    description:
      'Within the practices of the credential (sender or recipient). A POST so that the NHS number never appears in a URL.',
    security: secured,
    request: { body: { required: true, ...json(registry.register('ArchiveSearch', archiveSearchSchema)) } },
    responses: {
      200: { description: 'The matching messages', ...json(z.object({ messages: z.array(summarySchema) })) },
      401: rejection('Missing or unaccepted credentials'),
      403: rejection(
        'practiceOds names a practice the credential does not act for (`practice_not_permitted`)',
      ),
      415: rejection('The body is not application/json'),
      422: rejection('The search is invalid (`invalid_request`): each issue names the field'),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/archive/messages/{localId}',
    summary: 'One archived sent message with its answers (no patient data)',
    security: secured,
    request: { params },
    responses: {
      200: { description: 'The message', ...json(registry.register('ArchivedMessage', messageSchema)) },
      400: rejection('The path id is not a GUID'),
      401: rejection('Missing or unaccepted credentials'),
      404: unknownMessage,
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/archive/messages/{localId}/pdf',
    summary: 'The report PDF of an archived message, as it was sent',
    security: secured,
    request: { params },
    responses: {
      200: { description: 'The PDF', content: { 'application/pdf': { schema: z.string() } } },
      400: rejection('The path id is not a GUID'),
      401: rejection('Missing or unaccepted credentials'),
      404: unknownMessage,
    },
  });
}
