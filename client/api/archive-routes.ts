/**
 * The archive routes (issue 17): search the archived sent messages, show one with its answers, fetch its report PDF
 * as sent. Scoped to the credential's practices: a search naming another practice is refused (403); without one it
 * covers only the credential's practices; a message neither sent nor received by one of them is answered as unknown
 * (404), so a credential learns nothing of other practices' messages. The search is a POST so that the NHS number
 * travels in the body, never in a URL that access logs and proxies keep.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { nhsNumberSchema, odsCodeSchema } from '../../domain/snapshot';
import { parseOrThrow } from '../../domain/validation-error';
import { readReportPdf } from '../../integrations/itk3';
import type { SentMessageRecord, SentMessageSummary } from '../../integrations/store/archive-records';
import type { ArchiveRepository } from '../../integrations/store/archive-repository';
import { SENT_MESSAGE_STATES } from '../../integrations/store/archive-schema';
import { callerOf, requirePractice } from './auth';
import { mayActFor } from './credentials';
import { ApiRejection, requireJsonContentType } from './errors';
import { parsedBody } from './encounter-routes';

const dateTime = z
  .string()
  .datetime({ offset: true, message: 'must be an ISO 8601 date-time with a time zone' });

export const archiveSearchSchema = z
  .object({
    encounterGuid: z.string().uuid('must be a GUID').optional(),
    nhsNumber: nhsNumberSchema.optional(),
    /** Sender or recipient; must be a practice of the credential. */
    practiceOds: odsCodeSchema.optional(),
    from: dateTime.optional(),
    to: dateTime.optional(),
    state: z.enum(SENT_MESSAGE_STATES).optional(),
    limit: z.number().int().min(1).max(1000).default(100),
  })
  .strict();
type ArchiveSearch = z.output<typeof archiveSearchSchema>;

export const localIdParamSchema = z.string().uuid('must be a message local id (GUID)');

interface MessageRoute {
  Params: { localId: string };
}

export function registerArchiveRoutes(app: FastifyInstance, archive: ArchiveRepository): void {
  app.post('/v1/archive/search', { preValidation: requireJsonContentType }, async (request, reply) => {
    const search = parsedBody(
      request.body,
      (body) => parseOrThrow(archiveSearchSchema, body, 'archive search'),
      'invalid_request',
      'archive search',
    );
    if (search.practiceOds) requirePractice(request, search.practiceOds, 'practiceOds');
    return reply.send({ messages: await scopedSearch(request, archive, search) });
  });

  app.get<MessageRoute>('/v1/archive/messages/:localId', async (request, reply) => {
    const message = await visibleMessage(request, archive);
    const { body: _sent, patient: _patient, ...summary } = message;
    return reply.send({
      ...summary,
      answers: message.answers.map(({ body: _answer, ...answer }) => answer),
    });
  });

  app.get<MessageRoute>('/v1/archive/messages/:localId/pdf', async (request, reply) => {
    const message = await visibleMessage(request, archive);
    return reply.type('application/pdf').send(readReportPdf(message.body));
  });
}

/** The search within the credential's practices: the one named, or each of its own (newest first, merged). */
async function scopedSearch(
  request: FastifyRequest,
  archive: ArchiveRepository,
  search: ArchiveSearch,
): Promise<SentMessageSummary[]> {
  const query = {
    ...search,
    from: search.from === undefined ? undefined : new Date(search.from),
    to: search.to === undefined ? undefined : new Date(search.to),
  };
  const { practices } = callerOf(request);
  if (search.practiceOds || practices === '*') return archive.search(query);
  const found = await Promise.all(practices.map((practiceOds) => archive.search({ ...query, practiceOds })));
  const unique = new Map(found.flat().map((message) => [message.localId, message]));
  return [...unique.values()]
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || a.localId.localeCompare(b.localId))
    .slice(0, search.limit);
}

/** The message if the credential acts for its sender or recipient; otherwise, as when it does not exist, 404. */
async function visibleMessage(
  request: FastifyRequest<MessageRoute>,
  archive: ArchiveRepository,
): Promise<SentMessageRecord> {
  const localId = localIdParamSchema.safeParse(request.params.localId);
  if (!localId.success)
    throw new ApiRejection(400, 'invalid_request', 'the message id in the path is not a GUID', [
      { field: 'path.localId', reason: 'must be a message local id (GUID)' },
    ]);
  const message = await archive.show(localId.data);
  const caller = callerOf(request);
  const visible =
    message !== undefined &&
    (mayActFor(caller, message.senderOds) || mayActFor(caller, message.recipientOds));
  if (message && !visible)
    request.log.warn({ error: 'practice_not_permitted' }, 'credential used for another practice');
  if (!visible)
    throw new ApiRejection(404, 'not_found', 'no archived message has this id', [
      { field: 'localId', reason: 'names no archived message of a practice this credential acts for' },
    ]);
  return message;
}
