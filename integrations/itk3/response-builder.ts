/**
 * ITK3 response messages (domain-reference §4.4): message Bundle → MessageHeader (ITK008M, no acks requested, For
 * Information, SenderReference echoed, response.identifier = the original MessageHeader.id) → header Organization of
 * the responder → OperationOutcome (ITK-Response-OperationOutcome-1) with the ITK3 code. Used by the receiving
 * practice simulator and by tests; a sender never builds these.
 */
import { ValidationError, type FieldIssue } from '../../domain/validation-error';
import {
  EVENT,
  LOCAL_EXTENSION_NONE,
  MESSAGE_DEFINITION,
  PROFILE,
  RECIPIENT_TYPE,
  SYSTEM,
} from './fhir-uris';
import type { Bundle, OperationOutcome } from './fhir-stu3-types';
import { responseIdentity } from '../../domain/report-identity';
import {
  entryFor,
  fullUrlOf,
  headerOrganization,
  messageBundle,
  messageHeader,
  type WithId,
} from './message-envelope';
import { ITK3_RESPONSE_CODES } from './response-codes';

export interface Itk3ResponseInput {
  /** What the response answers: the original's MessageHeader.id (or UNREADABLE-IN-ORIGINAL-MESSAGE) and SenderReference. */
  original: { messageHeaderId: string; senderReference: string };
  responder: { odsCode: string; mailboxId: string };
  /** An ITK3 response code; positive or negative follows from the code. */
  code: string;
  /** Defaults to the CodeSystem display; required for codes outside ITK-ResponseCodes-1 (built as negative). */
  display?: string;
  /** Error context for the sender (GPCM-SD-074); must not contain patient data (FHIR-BA-02). */
  diagnostics?: string;
  respondedAt: Date | string;
}

export function buildItk3Response(input: Itk3ResponseInput): WithId<Bundle> {
  const known = ITK3_RESPONSE_CODES[input.code];
  const issues: FieldIssue[] = [];
  if (!/^\d{5}$/.test(input.code))
    issues.push({ field: 'code', reason: 'must be a five-digit ITK3 response code' });
  if (!known && !input.display)
    issues.push({ field: 'display', reason: 'is required for a code outside ITK-ResponseCodes-1' });
  if (issues.length > 0) throw new ValidationError('ITK3 response input', issues);

  const identity = responseIdentity(input.original.messageHeaderId, input.code, input.respondedAt);
  const positive = known?.positive ?? false;
  const outcome: WithId<OperationOutcome> = {
    resourceType: 'OperationOutcome',
    id: identity.operationOutcomeId,
    meta: { profile: [PROFILE.responseOperationOutcome] },
    issue: [
      {
        severity: positive ? 'information' : 'fatal',
        code: known?.issueType ?? 'processing',
        details: {
          coding: [
            { system: SYSTEM.responseCodes, code: input.code, display: input.display ?? known?.display },
          ],
        },
        diagnostics: input.diagnostics,
      },
    ],
  };
  const header = messageHeader({
    id: identity.messageHeaderId,
    timestamp: identity.timestamp,
    event: EVENT.response,
    handling: {
      busAckRequested: false,
      infAckRequested: false,
      recipientType: RECIPIENT_TYPE.forInformation,
      messageDefinition: MESSAGE_DEFINITION.response,
      senderReference: input.original.senderReference,
      localExtension: LOCAL_EXTENSION_NONE,
    },
    sourceEndpoint: input.responder.mailboxId,
    senderReference: fullUrlOf(identity.headerOrganizationId),
    focusReference: fullUrlOf(identity.operationOutcomeId),
    response: {
      identifier: input.original.messageHeaderId,
      code: positive ? 'ok' : 'fatal-error',
      details: { reference: fullUrlOf(identity.operationOutcomeId) },
    },
  });
  return messageBundle(identity.messageBundleId, [
    entryFor(header),
    entryFor(headerOrganization(identity.headerOrganizationId, input.responder.odsCode)),
    entryFor(outcome),
  ]);
}
