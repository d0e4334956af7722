/**
 * The document inbox routes (issue 18): the practice's clinical system lists the documents fedreport received for
 * it, reads one's metadata and PDF, and files or rejects it (then the business answer goes out). Scoped to the
 * credential's practices: a list naming another practice is refused (403); a document of another practice is
 * answered exactly as one that does not exist (404). NHS numbers travel only in response bodies, never in URLs.
 */
import type { Client } from '@temporalio/client';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { parseDocumentRejection, type FilingOutcome } from '../../domain/document-filing';
import { odsCodeSchema } from '../../domain/snapshot';
import { parseOrThrow } from '../../domain/validation-error';
import type {
  DocumentCursor,
  ReceivedDocumentQueries,
  ReceivedDocumentSummary,
} from '../../integrations/store/received-document-queries';
import { RECEIVED_DOCUMENT_STATES } from '../../integrations/store/received-document-repository';
import {
  DocumentFilingRefusedError,
  DocumentFilingUnansweredError,
  documentIdSchema,
  settleReceivedDocument,
} from '../received-documents';
import { callerOf, requirePractice } from './auth';
import { mayActFor } from './credentials';
import { parsedBody } from './encounter-routes';
import { ApiRejection, requireJsonContentType } from './errors';
import { answeringTemporalErrors } from './temporal-errors';

const cursorSchema = z
  .object({ receivedAt: z.string().datetime(), meshMessageId: documentIdSchema })
  .strict();

/** `after` is the `next` of the page before: opaque to the caller, read back here. */
const afterSchema = z.string().transform((text, ctx): DocumentCursor => {
  const decoded = (() => {
    try {
      return cursorSchema.safeParse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
    } catch {
      return undefined;
    }
  })();
  if (!decoded?.success) {
    ctx.addIssue({ code: 'custom', message: 'must be the next value of an earlier page' });
    return z.NEVER;
  }
  return { receivedAt: new Date(decoded.data.receivedAt), meshMessageId: decoded.data.meshMessageId };
});

const cursorOf = (document: ReceivedDocumentSummary): string =>
  Buffer.from(
    JSON.stringify({ receivedAt: document.receivedAt.toISOString(), meshMessageId: document.meshMessageId }),
  ).toString('base64url');

export const documentListSchema = z
  .object({
    /** One of the credential's practices; without it, all of them. */
    practiceOds: odsCodeSchema.optional(),
    /** `held`: new, not filed or rejected yet (the default). */
    state: z.enum(RECEIVED_DOCUMENT_STATES).default('held'),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    after: afterSchema.optional(),
  })
  .strict();

interface DocumentRoute {
  Params: { meshMessageId: string };
}

export interface DocumentRouteContext {
  client: Client;
  timeoutMs: number;
  documents: ReceivedDocumentQueries;
}

export function registerDocumentRoutes(app: FastifyInstance, context: DocumentRouteContext): void {
  const { documents } = context;

  app.get('/v1/documents', async (request, reply) => {
    const list = parsedBody(
      request.query,
      (query) => parseOrThrow(documentListSchema, query, 'document list'),
      'invalid_request',
      'document list',
    );
    if (list.practiceOds) requirePractice(request, list.practiceOds, 'practiceOds');
    const { practices } = callerOf(request);
    const found = await documents.list({
      practices: list.practiceOds ? [list.practiceOds] : practices,
      state: list.state,
      limit: list.limit + 1,
      after: list.after,
    });
    const page = found.slice(0, list.limit);
    const more = found.length > list.limit;
    return reply.send({
      documents: page.map(({ mailbox: _mailbox, ...summary }) => summary),
      ...(more && { next: cursorOf(page[page.length - 1]!) }),
    });
  });

  app.get<DocumentRoute>('/v1/documents/:meshMessageId', async (request, reply) => {
    const { meshMessageId } = await visibleDocument(request, documents);
    const { mailbox: _mailbox, ...metadata } = (await documents.metadata(meshMessageId))!;
    return reply.send(metadata);
  });

  app.get<DocumentRoute>('/v1/documents/:meshMessageId/pdf', async (request, reply) => {
    const { meshMessageId } = await visibleDocument(request, documents);
    const pdf = await documents.pdf(meshMessageId);
    if (!pdf)
      throw new ApiRejection(404, 'not_found', 'the document holds no PDF', [
        { field: 'meshMessageId', reason: 'names a document whose first attachment is not a PDF' },
      ]);
    return reply.type('application/pdf').send(pdf);
  });

  app.post<DocumentRoute>('/v1/documents/:meshMessageId/filed', async (request, reply) => {
    const document = await visibleDocument(request, documents);
    return reply.send(await settle(request, context, document, { outcome: 'filed' }));
  });

  app.post<DocumentRoute>(
    '/v1/documents/:meshMessageId/rejection',
    { preValidation: requireJsonContentType },
    async (request, reply) => {
      const rejection = parsedBody(
        request.body,
        parseDocumentRejection,
        'invalid_request',
        'document rejection',
      );
      const document = await visibleDocument(request, documents);
      return reply.send(await settle(request, context, document, { outcome: 'rejected', ...rejection }));
    },
  );
}

/** Through the message's workflow; a refusal is a 409 with its reason, no worker in time a 503. */
async function settle(
  request: FastifyRequest,
  { client, timeoutMs }: DocumentRouteContext,
  document: ReceivedDocumentSummary,
  outcome: FilingOutcome,
) {
  const accepted = await answeringTemporalErrors(
    settleReceivedDocument(client, document, outcome, { timeoutMs }),
    request.log,
  ).catch((error: unknown) => {
    if (error instanceof DocumentFilingRefusedError)
      throw new ApiRejection(409, 'filing_refused', 'the document cannot take this command', [
        { field: 'meshMessageId', reason: error.reason },
      ]);
    if (error instanceof DocumentFilingUnansweredError)
      throw new ApiRejection(503, 'filing_unavailable', 'no worker answered in time; retry later', [
        {
          field: 'service',
          reason: 'no fedreport worker answered; list the document before repeating the command',
        },
      ]);
    throw error;
  });
  return { meshMessageId: document.meshMessageId, state: accepted.stage };
}

/** The document if the credential acts for its practice; otherwise, as when it does not exist, 404. */
async function visibleDocument(
  request: FastifyRequest<DocumentRoute>,
  documents: ReceivedDocumentQueries,
): Promise<ReceivedDocumentSummary> {
  const id = documentIdSchema.safeParse(request.params.meshMessageId);
  if (!id.success)
    throw new ApiRejection(400, 'invalid_request', 'the document id in the path is not a MESH message id', [
      { field: 'path.meshMessageId', reason: 'must be a MESH message id' },
    ]);
  const document = await documents.summary(id.data);
  const visible = document !== undefined && mayActFor(callerOf(request), document.practiceOds);
  if (document && !visible)
    request.log.warn({ error: 'practice_not_permitted' }, 'credential used for another practice');
  if (!visible)
    throw new ApiRejection(404, 'not_found', 'no received document has this id', [
      { field: 'meshMessageId', reason: 'names no received document of a practice this credential acts for' },
    ]);
  return document;
}
