/**
 * The encounter routes: a save (the complete snapshot), the status, a withdrawal. Check order of a save, each
 * rejection starting or changing nothing: snapshot contract → path/body id agreement → the credential acts for the
 * snapshot's hosting practice → attachments' size (ITK3's 5 MB) → hosting practice of the running workflow →
 * attachments stored in the archive → size budget → signalWithStart. Status and
 * withdrawal first read the encounter's hosting practice: one the credential does not act for is answered as an
 * unknown encounter (404), so a credential learns nothing of other practices' encounters.
 */
import type { Client } from '@temporalio/client';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { MAX_ATTACHMENT_BYTES, parseConsultationSnapshot, type ConsultationSnapshot } from '../../domain/snapshot';
import { attachmentBytes, type AttachmentStore } from '../../integrations/store/snapshot-attachments';
import { ValidationError, type FieldIssue } from '../../domain/validation-error';
import { parseWithdrawal } from '../../domain/withdrawal';
import {
  EncounterStatusUnavailableError,
  HostingPracticeMismatchError,
  SnapshotTooLargeError,
  WithdrawalNotAcceptedError,
  encounterPractice,
  encounterStatus,
  submitConsultationSaved,
  withdrawEncounter,
} from '../encounters';
import { encounterWorkflowId } from '../../workflows/encounter-identity';
import { requestMayActFor, requirePractice } from './auth';
import { ApiRejection, requireJsonContentType, type ApiErrorCode } from './errors';
import { encounterIdParamSchema } from './openapi';
import { answeringTemporalErrors, snapshotTooLarge } from './temporal-errors';

export interface RouteContext {
  /** Temporal client with the fedreport data converter. */
  client: Client;
  /** Bound on each Temporal call a request makes. */
  timeoutMs: number;
  /** Largest snapshot accepted, encoded as Temporal stores it. */
  maxSnapshotBytes: number;
  /** Where attachments are stored (the archive), so workflows carry references to them, not their content. */
  attachments: AttachmentStore;
}

interface EncounterRoute {
  Params: { encounterId: string };
}

export function registerEncounterRoutes(app: FastifyInstance, context: RouteContext): void {
  const { client, timeoutMs } = context;

  app.post<EncounterRoute>(
    '/v1/encounters/:encounterId/events',
    { preValidation: requireJsonContentType },
    async (request, reply) => {
      const pathId = encounterIdFromPath(request);
      const snapshot = parsedBody(
        request.body,
        parseConsultationSnapshot,
        'invalid_snapshot',
        'consultation snapshot',
      );
      if (snapshot.encounterId.toLowerCase() !== pathId.toLowerCase()) {
        throw new ApiRejection(
          422,
          'encounter_id_mismatch',
          'the snapshot belongs to another encounter than the path names',
          [{ field: 'encounterId', reason: 'must equal the encounter id in the path' }],
        );
      }
      requirePractice(request, snapshot.hostingPractice.odsCode, 'hostingPractice.odsCode');
      requireAttachmentsWithinItk3Limit(snapshot);
      const submitted = await answeringTemporalErrors(
        client.withDeadline(Date.now() + timeoutMs, () =>
          submitConsultationSaved(client, snapshot, {
            maxSnapshotBytes: context.maxSnapshotBytes,
            attachments: context.attachments,
          }),
        ),
        request.log,
      ).catch(rejectRefusedSave);
      return reply.code(202).send(submitted);
    },
  );

  app.get<EncounterRoute>('/v1/encounters/:encounterId', async (request, reply) => {
    const encounterId = encounterIdFromPath(request);
    await requireVisibleEncounter(request, context, encounterId);
    // encounterStatus bounds the query itself, to tell "no worker" from "no Temporal".
    const status = await answeringTemporalErrors(
      encounterStatus(client, encounterId, { timeoutMs }),
      request.log,
    ).catch((error: unknown) => {
      if (!(error instanceof EncounterStatusUnavailableError)) throw error;
      throw new ApiRejection(
        503,
        'status_unavailable',
        'no worker answered the status query in time; retry later',
        [{ field: 'service', reason: 'no fedreport worker is processing encounter workflows' }],
      );
    });
    if (!status) throw encounterNotFound();
    return reply.send(status);
  });

  app.post<EncounterRoute>(
    '/v1/encounters/:encounterId/withdrawal',
    { preValidation: requireJsonContentType },
    async (request, reply) => {
      const encounterId = encounterIdFromPath(request);
      const withdrawal = parsedBody(request.body, parseWithdrawal, 'invalid_withdrawal', 'withdrawal');
      await requireVisibleEncounter(request, context, encounterId);
      const withdrawn = await answeringTemporalErrors(
        withdrawEncounter(client, encounterId, withdrawal, { timeoutMs }),
        request.log,
      ).catch(rejectNotAcceptedWithdrawal);
      return reply.send(withdrawn);
    },
  );
}

/**
 * Refuses, as if it did not exist (404), an encounter whose hosting practice the credential does not act for, and
 * one that does not exist at all: the answer is the same, so it tells nothing of other practices.
 */
async function requireVisibleEncounter(
  request: FastifyRequest,
  { client, timeoutMs }: RouteContext,
  encounterId: string,
): Promise<void> {
  const practice = await answeringTemporalErrors(
    client.withDeadline(Date.now() + timeoutMs, () =>
      encounterPractice(client, encounterWorkflowId(encounterId)),
    ),
    request.log,
  );
  if (practice === undefined || !requestMayActFor(request, practice.odsCode)) throw encounterNotFound();
}

/** The body through its contract; a ValidationError becomes a 422 with `code`, naming each field. */
export function parsedBody<T>(
  body: unknown,
  parse: (input: unknown) => T,
  code: ApiErrorCode,
  what: string,
): T {
  try {
    return parse(body);
  } catch (error) {
    if (error instanceof ValidationError)
      throw new ApiRejection(422, code, `the ${what} is invalid`, error.issues);
    throw error;
  }
}

/** ITK3 recommends at most 5 MB per message: more could be refused by the receiver (20015), so it is refused here. */
function requireAttachmentsWithinItk3Limit(snapshot: ConsultationSnapshot): void {
  const bytes = attachmentBytes(snapshot);
  if (bytes <= MAX_ATTACHMENT_BYTES) return;
  throw new ApiRejection(413, 'attachments_too_large', "the consultation's attachments are too large to send", [
    {
      field: 'consultation.attachments',
      reason:
        `hold ${bytes} bytes once decoded, more than the ${MAX_ATTACHMENT_BYTES} bytes (5 MiB) one report may carry ` +
        '(ITK3 recommends at most 5 MB per message): send fewer or smaller ones',
    },
  ]);
}

/** A save the encounter cannot hold: too large for Temporal, or for another practice than its workflow's. */
function rejectRefusedSave(error: unknown): never {
  if (error instanceof SnapshotTooLargeError) {
    throw snapshotTooLarge(
      `encodes to ${error.encodedBytes} bytes, more than the ${error.limitBytes} bytes an encounter can hold ` +
        '(send fewer or smaller attachments)',
    );
  }
  if (error instanceof HostingPracticeMismatchError) {
    throw new ApiRejection(
      422,
      'hosting_practice_mismatch',
      'the save names another hosting practice than the encounter',
      [
        {
          field: 'hostingPractice.odsCode',
          reason: "must match the encounter's hosting practice (of its earlier saves)",
        },
      ],
    );
  }
  throw error;
}

function rejectNotAcceptedWithdrawal(error: unknown): never {
  if (!(error instanceof WithdrawalNotAcceptedError)) throw error;
  const issues: FieldIssue[] = [{ field: 'encounterId', reason: error.reason }];
  switch (error.outcome) {
    case 'not-found':
      throw encounterNotFound();
    case 'refused':
      throw new ApiRejection(409, 'withdrawal_refused', 'the encounter refused the withdrawal', issues);
    case 'unanswered':
      throw new ApiRejection(503, 'withdrawal_unavailable', 'no worker answered in time; retry later', [
        { field: 'service', reason: 'no fedreport worker answered; repeating the same withdrawal is safe' },
      ]);
  }
}

function encounterNotFound(): ApiRejection {
  return new ApiRejection(404, 'encounter_not_found', 'no encounter workflow has this id', [
    { field: 'encounterId', reason: 'no consultation of this encounter has been submitted' },
  ]);
}

function encounterIdFromPath(request: FastifyRequest<EncounterRoute>): string {
  const result = encounterIdParamSchema.safeParse(request.params.encounterId);
  if (!result.success) {
    throw new ApiRejection(400, 'invalid_encounter_id', 'the encounter id in the path is not a GUID', [
      { field: 'path.encounterId', reason: 'must be a GUID' },
    ]);
  }
  return result.data;
}
