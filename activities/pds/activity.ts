/**
 * The PDS lookup as a Temporal activity. Its X-Request-ID is derived from the activity's identity, so every
 * retry of one lookup sends the same UUID (PDS's de-duplication rule) while a later lookup gets a new one.
 */
import crypto from 'node:crypto';
import { Context, type Info } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { PdsClient } from './client';
import { PdsError } from './errors';
import { lookupPatient, type PdsLookupOutcome } from './lookup';

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
export function requestIdFor(info: Pick<Info, 'activityId' | 'workflowExecution'>): string {
  const execution = info.workflowExecution;
  return nameBasedUuid(
    execution
      ? `${execution.workflowId}/${execution.runId}/${info.activityId}`
      : `activity/${info.activityId}`,
  );
}

/** Fixed namespace for fedreport's PDS request ids (RFC 9562 name-based UUIDs need one). */
const REQUEST_ID_NAMESPACE = Buffer.from('3f6c1d2ab8e94f0e9c5d7a41e2b06f13', 'hex');

/** RFC 9562 version 5 (SHA-1, name-based) UUID. */
function nameBasedUuid(name: string): string {
  const bytes = crypto
    .createHash('sha1')
    .update(REQUEST_ID_NAMESPACE)
    .update(name, 'utf8')
    .digest()
    .subarray(0, 16);
  bytes.writeUInt8((bytes.readUInt8(6) & 0x0f) | 0x50, 6);
  bytes.writeUInt8((bytes.readUInt8(8) & 0x3f) | 0x80, 8);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
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
