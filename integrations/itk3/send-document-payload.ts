/**
 * The Send Document payload (domain-reference §5.2): a document Bundle (ITK-Document-Bundle-1) with the Composition
 * first, then one Binary per attachment (the report PDF first), the Practitioner, the sending Organization and the
 * Patient. Every resource declares its profile in meta.profile (GPCM-SD-108).
 */
import type { ConsultationSnapshot, HumanName as SnapshotName } from '../../domain/snapshot';
import {
  DOCUMENT_TYPE_CONSULTATION_REPORT,
  EXTENSION,
  NHS_NUMBER_VERIFIED,
  PROFILE,
  SYSTEM,
  XHTML_NAMESPACE,
} from './fhir-uris';
import type {
  Binary,
  Bundle,
  Composition,
  HumanName,
  Organization,
  Patient,
  Practitioner,
} from './fhir-stu3-types';
import type { MessageIdentity } from '../../domain/report-identity';
import { entryFor, fullUrlOf, type WithId } from './message-envelope';
import { consultationReportSummary } from './report-summary';

/** One document the message carries: the report PDF or a document linked to the consultation. */
export interface PayloadAttachment {
  binaryId: string;
  sectionTitle: string;
  contentType: string;
  base64: string;
}

export interface DocumentPayloadInput {
  snapshot: ConsultationSnapshot;
  identity: MessageIdentity;
  version: number;
  previousDocumentIdentifier: string | undefined;
  /** In section order; the report PDF first (GPCM-SD-124). */
  attachments: PayloadAttachment[];
}

export const REPORT_TITLE = 'Consultation report';

export function documentBundle(input: DocumentPayloadInput): WithId<Bundle> {
  const { snapshot, identity } = input;
  return {
    resourceType: 'Bundle',
    id: identity.documentBundleId,
    // STU3 Bundle has no timestamp: a document's date is its meta.lastUpdated (what HAPI's document check reads).
    meta: { lastUpdated: identity.timestamp, profile: [PROFILE.documentBundle] },
    identifier: { system: SYSTEM.rfc4122, value: identity.documentBundleId },
    type: 'document',
    entry: [
      entryFor(composition(input)),
      ...input.attachments.map((a) => entryFor(binary(a))),
      entryFor(practitioner(snapshot, identity.practitionerId)),
      entryFor(sendingOrganization(snapshot, identity.senderOrganizationId)),
      entryFor(patient(snapshot, identity.patientId)),
    ],
  };
}

function composition({
  snapshot,
  identity,
  version,
  previousDocumentIdentifier,
  attachments,
}: DocumentPayloadInput): WithId<Composition> {
  return {
    resourceType: 'Composition',
    id: identity.compositionId,
    // The report version goes into meta.versionId as the replacement guidance recommends (SD 1.3.2).
    meta: { versionId: String(version), profile: [PROFILE.composition] },
    text: { status: 'generated', div: paragraphDiv(consultationReportSummary(snapshot, version)) },
    identifier: { system: SYSTEM.rfc4122, value: identity.documentIdentifier },
    // Fixed `final` (GPCM-SD-114): a later version is a new final document that replaces this one via relatesTo.
    status: 'final',
    type: { coding: [{ ...DOCUMENT_TYPE_CONSULTATION_REPORT }] },
    subject: { reference: fullUrlOf(identity.patientId) },
    date: identity.timestamp,
    author: [{ reference: fullUrlOf(identity.practitionerId) }],
    title: REPORT_TITLE,
    confidentiality: snapshot.consultation.confidential ? 'R' : 'N',
    custodian: { reference: fullUrlOf(identity.senderOrganizationId) },
    relatesTo: previousDocumentIdentifier
      ? [
          {
            code: 'replaces',
            targetIdentifier: { system: SYSTEM.rfc4122, value: previousDocumentIdentifier },
          },
        ]
      : undefined,
    section: attachments.map((a) => ({
      title: a.sectionTitle,
      entry: [{ reference: fullUrlOf(a.binaryId) }],
    })),
  };
}

function binary(attachment: PayloadAttachment): WithId<Binary> {
  return {
    resourceType: 'Binary',
    id: attachment.binaryId,
    meta: { profile: [PROFILE.attachmentBinary] },
    contentType: attachment.contentType,
    content: attachment.base64,
  };
}

/** A confidential consultation names no clinician (as its PDF): the author is identified by SDS user id only. */
function practitioner(snapshot: ConsultationSnapshot, id: string): WithId<Practitioner> {
  const { clinician, consultation } = snapshot;
  return {
    resourceType: 'Practitioner',
    id,
    meta: { profile: [PROFILE.practitioner] },
    identifier: [{ system: SYSTEM.sdsUserId, value: clinician.sdsUserId }],
    name: consultation.confidential ? undefined : [officialName(clinician.name)],
    telecom:
      !consultation.confidential && clinician.phone
        ? [{ system: 'phone', value: clinician.phone, use: 'work' }]
        : undefined,
  };
}

/** A confidential consultation leaves out the organisation's name and contact details (as its PDF). */
function sendingOrganization(snapshot: ConsultationSnapshot, id: string): WithId<Organization> {
  const { hostingPractice, consultation } = snapshot;
  return {
    resourceType: 'Organization',
    id,
    meta: { profile: [PROFILE.organization] },
    identifier: [{ system: SYSTEM.odsOrganizationCode, value: hostingPractice.odsCode }],
    name: consultation.confidential ? undefined : hostingPractice.name,
    telecom:
      !consultation.confidential && hostingPractice.phone
        ? [{ system: 'phone', value: hostingPractice.phone, use: 'work' }]
        : undefined,
  };
}

/** The demographics MESH traces against PDS: NHS number (verified by the PDS lookup), official name, birth date. */
function patient(snapshot: ConsultationSnapshot, id: string): WithId<Patient> {
  const { patient: p } = snapshot;
  return {
    resourceType: 'Patient',
    id,
    meta: { profile: [PROFILE.patient] },
    identifier: [
      {
        extension: [
          {
            url: EXTENSION.nhsNumberVerificationStatus,
            valueCodeableConcept: { coding: [{ ...NHS_NUMBER_VERIFIED }] },
          },
        ],
        system: SYSTEM.nhsNumber,
        value: p.nhsNumber,
      },
    ],
    name: [officialName(p.name)],
    gender: p.gender,
    birthDate: p.birthDate,
  };
}

function officialName(name: SnapshotName): HumanName {
  return {
    use: 'official',
    family: name.family,
    given: [...name.given],
    prefix: name.title ? [name.title] : undefined,
  };
}

function paragraphDiv(text: string): string {
  const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<div xmlns="${XHTML_NAMESPACE}"><p>${escaped}</p></div>`;
}
