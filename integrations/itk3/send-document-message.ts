/**
 * The ITK3 Send Document message for one version of a consultation report (domain-reference §5.2): message Bundle →
 * MessageHeader (ITK007C, both acks requested, For Action, SenderReference = encounter GUID) → header Organization
 * → document Bundle. No `receiver`/`destination`: MESH routes GPPROVIDER-addressed messages (GPCM-SD-049).
 */
import { linkedDocuments } from '../../domain/linked-documents';
import type { ResolvedSnapshot } from '../../domain/snapshot';
import { ValidationError, type FieldIssue } from '../../domain/validation-error';
import { EVENT, LOCAL_EXTENSION_CONSULTATION_REPORT, MESSAGE_DEFINITION, RECIPIENT_TYPE } from './fhir-uris';
import type { Bundle } from './fhir-stu3-types';
import { attachmentBinaryIds, messageIdentity } from '../../domain/report-identity';
import {
  entryFor,
  fullUrlOf,
  headerOrganization,
  messageBundle,
  messageHeader,
  type WithId,
} from './message-envelope';
import { REPORT_TITLE, documentBundle, type PayloadAttachment } from './send-document-payload';

export interface SendDocumentInput {
  snapshot: ResolvedSnapshot;
  /** The rendered consultation report. */
  reportPdf: Buffer;
  /** The sending practice's MESH mailbox: MessageHeader.source.endpoint, where acknowledgements are sent. */
  senderMailboxId: string;
  /** 1 for the first report of the encounter, +1 for each later one. */
  version: number;
  /** Composition identifier (MessageIdentity.documentIdentifier) of the version this one replaces; required from 2. */
  previousDocumentIdentifier?: string;
  /** When this version was first built; persisted by the caller so that a retry rebuilds the same message. */
  firstBuiltAt: Date | string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** What the MESH client configuration accepts as a mailbox id (upper-cased there); acks are routed to it. */
const MAILBOX_ID = /^[A-Z0-9_'-]{1,100}$/;

export function buildSendDocumentMessage(input: SendDocumentInput): WithId<Bundle> {
  assertValidInput(input);
  const { snapshot, version, firstBuiltAt } = input;
  const identity = messageIdentity(snapshot.encounterId, version, firstBuiltAt);
  const linked = linkedDocuments(snapshot);
  const binaryIds = attachmentBinaryIds(snapshot.encounterId, version, firstBuiltAt, 1 + linked.length);
  const attachments: PayloadAttachment[] = [
    {
      binaryId: binaryIds[0] ?? '',
      sectionTitle: REPORT_TITLE,
      contentType: 'application/pdf',
      base64: input.reportPdf.toString('base64'),
    },
    ...linked.map((a, i) => ({
      binaryId: binaryIds[i + 1] ?? '',
      sectionTitle: a.title,
      contentType: a.contentType,
      base64: a.data,
    })),
  ];
  const header = messageHeader({
    id: identity.messageHeaderId,
    timestamp: identity.timestamp,
    event: EVENT.sendDocument,
    handling: {
      busAckRequested: true,
      infAckRequested: true,
      recipientType: RECIPIENT_TYPE.forAction,
      messageDefinition: MESSAGE_DEFINITION.sendDocument,
      senderReference: snapshot.encounterId.toLowerCase(),
      localExtension: LOCAL_EXTENSION_CONSULTATION_REPORT,
    },
    sourceEndpoint: input.senderMailboxId,
    senderReference: fullUrlOf(identity.headerOrganizationId),
    focusReference: fullUrlOf(identity.documentBundleId),
  });
  const document = documentBundle({
    snapshot,
    identity,
    version,
    previousDocumentIdentifier: input.previousDocumentIdentifier,
    attachments,
  });
  return messageBundle(identity.messageBundleId, [
    entryFor(header),
    entryFor(headerOrganization(identity.headerOrganizationId, snapshot.hostingPractice.odsCode)),
    entryFor(document),
  ]);
}

function assertValidInput(input: SendDocumentInput): void {
  const issues: FieldIssue[] = [];
  if (!MAILBOX_ID.test(input.senderMailboxId))
    issues.push({
      field: 'senderMailboxId',
      reason: 'must be a MESH mailbox id (3-20 upper-case letters or digits)',
    });
  if (input.reportPdf.subarray(0, 5).toString('latin1') !== '%PDF-')
    issues.push({ field: 'reportPdf', reason: 'must be a PDF document' });
  if (
    input.version > 1 &&
    !(input.previousDocumentIdentifier && UUID.test(input.previousDocumentIdentifier))
  ) {
    issues.push({
      field: 'previousDocumentIdentifier',
      reason: 'must be the UUID of the replaced document from version 2 on',
    });
  }
  if (input.version === 1 && input.previousDocumentIdentifier !== undefined) {
    issues.push({
      field: 'previousDocumentIdentifier',
      reason: 'must be absent for version 1, which replaces nothing',
    });
  }
  if (issues.length > 0) throw new ValidationError('send document message input', issues);
}
