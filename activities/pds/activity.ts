/**
 * The PDS lookup as a Temporal activity. Its X-Request-ID is derived from the activity's identity, so every
 * retry of one lookup sends the same UUID (PDS's de-duplication rule) while a later lookup gets a new one.
 */
import { Context, type Info } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { PdsClient } from './client';
import { PdsError } from './errors';
import { lookupPatient, type PdsLookupOutcome } from './lookup';
import { nameBasedUuid } from '../../domain/name-based-uuid';

export interface LookupPatientInput {
  nhsNumber: string;
  /** The hosting practice, sent as NHSD-End-User-Organisation-ODS. */
  hostingOds: string;
}

export function createPdsActivities(client: PdsClient) {
  return {
    lookupPatient: async (input: LookupPatientInput): Promise<PdsLookupOutcome> => {
      const info = Context.current().info;
      try {
        return await lookupPatient(client, input.nhsNumber, {
          requestId: requestIdFor(info),
          correlationId: info.workflowExecution?.workflowId ?? info.activityId,
          endUserOds: input.hostingOds,
        });
      } catch (error) {
        throw error instanceof PdsError ? toApplicationFailure(error) : error;
      }
    },
  };
}

/** Same workflow run and activity id (every attempt of one activity) → same UUID. */
/** Fixed namespace for fedreport's PDS request ids (name-based UUIDs need one). */
const REQUEST_ID_NAMESPACE = '3f6c1d2a-b8e9-4f0e-9c5d-7a41e2b06f13';

export function requestIdFor(info: Pick<Info, 'activityId' | 'workflowExecution'>): string {
  const execution = info.workflowExecution;
  return nameBasedUuid(
    REQUEST_ID_NAMESPACE,
    execution ? `${execution.workflowId}/${execution.runId}/${info.activityId}` : `activity/${info.activityId}`,
  );
}

/** Retryable errors stay retryable (honouring Retry-After); the rest stop the retry policy at once. */
function toApplicationFailure(error: PdsError): ApplicationFailure {
  return ApplicationFailure.create({
    message: error.message,
    type: error.name,
    nonRetryable: !error.retryable,
    nextRetryDelay: error.retryAfterMs,
    details: [{ status: error.status ?? null, spineCode: error.spineCode ?? null }],
    cause: error,
  });
}
