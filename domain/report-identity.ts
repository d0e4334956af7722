/**
 * Deterministic identity of one report version: every id and timestamp of the message derives from
 * (encounter GUID, version, first build time). A retry of the same version rebuilds byte-identical XML, so a
 * receiver sees a duplicate rather than a second report; a new version gets new ids. The encounter workflow gets
 * these ids from the reportIdentity local activity (recorded in its history), never by computing them itself.
 */
import { ValidationError, type FieldIssue } from './validation-error';
import { nameBasedUuid } from './name-based-uuid';

/** Namespace of fedreport's name-based UUIDs (a random UUID fixed once; changing it changes every message id). */
const FEDREPORT_NAMESPACE = '3a863993-fa50-4630-8fff-94fc89b56f89';

export interface MessageIdentity {
  /** Message Bundle.id and Bundle.identifier.value. */
  messageBundleId: string;
  /** MessageHeader.id: acknowledgements quote it in MessageHeader.response.identifier. Also the Mex-LocalID. */
  messageHeaderId: string;
  headerOrganizationId: string;
  /** Document Bundle.id and its Bundle.identifier.value. */
  documentBundleId: string;
  /** Composition.identifier.value: what the next version's Composition.relatesTo.targetIdentifier replaces. */
  documentIdentifier: string;
  compositionId: string;
  patientId: string;
  practitionerId: string;
  senderOrganizationId: string;
  /** MessageHeader.timestamp and Composition.date: the first build time, normalised to ISO 8601 UTC. */
  timestamp: string;
}

export function messageIdentity(
  encounterId: string,
  version: number,
  firstBuiltAt: Date | string,
): MessageIdentity {
  const id = identityNamer(encounterId, version, firstBuiltAt);
  return {
    messageBundleId: id('message-bundle'),
    messageHeaderId: id('message-header'),
    headerOrganizationId: id('header-organization'),
    documentBundleId: id('document-bundle'),
    documentIdentifier: id('document-identifier'),
    compositionId: id('composition'),
    patientId: id('patient'),
    practitionerId: id('practitioner'),
    senderOrganizationId: id('sender-organization'),
    timestamp: canonicalTimestamp(firstBuiltAt),
  };
}

/** Ids of the attachment Binary resources of one version, the report PDF first. */
export function attachmentBinaryIds(
  encounterId: string,
  version: number,
  firstBuiltAt: Date | string,
  count: number,
): string[] {
  const id = identityNamer(encounterId, version, firstBuiltAt);
  return Array.from({ length: count }, (_, index) => id(`attachment-binary-${index}`));
}

export interface ResponseIdentity {
  messageBundleId: string;
  messageHeaderId: string;
  headerOrganizationId: string;
  operationOutcomeId: string;
  timestamp: string;
}

/**
 * Ids of an ITK3 response, derived from what it answers, its code and when: a responder that resends the same
 * acknowledgement resends the same ids, so the sender can recognise the duplicate.
 */
export function responseIdentity(
  originalMessageHeaderId: string,
  code: string,
  respondedAt: Date | string,
): ResponseIdentity {
  if (!isInstant(respondedAt))
    throw new ValidationError('response identity', [
      { field: 'respondedAt', reason: 'must be a Date or an ISO 8601 date-time with a time zone' },
    ]);
  const timestamp = canonicalTimestamp(respondedAt);
  const id = (kind: string): string =>
    nameBasedUuid(FEDREPORT_NAMESPACE, `response-${kind}/${originalMessageHeaderId}/${code}/${timestamp}`);
  return {
    messageBundleId: id('message-bundle'),
    messageHeaderId: id('message-header'),
    headerOrganizationId: id('header-organization'),
    operationOutcomeId: id('operation-outcome'),
    timestamp,
  };
}

function identityNamer(
  encounterId: string,
  version: number,
  firstBuiltAt: Date | string,
): (kind: string) => string {
  const issues: FieldIssue[] = [];
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(encounterId))
    issues.push({ field: 'encounterId', reason: 'must be a GUID' });
  if (!Number.isSafeInteger(version) || version < 1)
    issues.push({ field: 'version', reason: 'must be an integer of at least 1' });
  if (!isInstant(firstBuiltAt))
    issues.push({
      field: 'firstBuiltAt',
      reason: 'must be a Date or an ISO 8601 date-time with a time zone',
    });
  if (issues.length > 0) throw new ValidationError('message identity', issues);
  // The GUID's case and the timestamp's spelling must not change the ids: both are normalised first.
  const seed = `${encounterId.toLowerCase()}/${version}/${canonicalTimestamp(firstBuiltAt)}`;
  return (kind) => nameBasedUuid(FEDREPORT_NAMESPACE, `${kind}/${seed}`);
}

/** Strings must carry a zone: `new Date()` would read a zoneless one in the machine's local time. */
function isInstant(value: Date | string): boolean {
  const zoned =
    typeof value !== 'string' ||
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value);
  return zoned && !Number.isNaN(new Date(value).getTime());
}

function canonicalTimestamp(value: Date | string): string {
  return new Date(value).toISOString();
}
