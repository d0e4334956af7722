/**
 * The ITK3 envelope shared by requests and responses (domain-reference §4.1–4.2): the message Bundle
 * (ITK-Message-Bundle-1), its MessageHeader (ITK-MessageHeader-2) with the handling specification extension, and the
 * header Organization (CareConnect-ITK-Header-Organization-1) the header's `sender` points at.
 */
import { EXTENSION, PROFILE, SYSTEM } from './fhir-uris';
import type {
  Bundle,
  BundleEntry,
  Coding,
  Extension,
  MessageHeader,
  Organization,
  Resource,
} from './fhir-stu3-types';

/** The six handling keys every ITK3 message carries since ITK3 2.5.0 (all 1..1). */
export interface HandlingSpecification {
  busAckRequested: boolean;
  infAckRequested: boolean;
  recipientType: Coding;
  messageDefinition: string;
  senderReference: string;
  localExtension: string;
}

export interface MessageHeaderSpec {
  id: string;
  timestamp: string;
  event: Coding;
  handling: HandlingSpecification;
  /** MESH mailbox of the sender: where acknowledgements go. */
  sourceEndpoint: string;
  /** fullUrl of the header Organization. */
  senderReference: string;
  /** fullUrl of the payload (document Bundle or OperationOutcome). */
  focusReference: string;
  response?: MessageHeader['response'];
}

/** Resources the builders create always carry their id (entries' fullUrls derive from it). */
export type WithId<T extends Resource> = T & { id: string };

/** Entries reference each other by `urn:uuid:` fullUrls, so the message needs no server to resolve them. */
export const fullUrlOf = (id: string): string => `urn:uuid:${id}`;

export function entryFor(resource: WithId<Resource>): BundleEntry {
  return { fullUrl: fullUrlOf(resource.id), resource };
}

export function messageHeader(spec: MessageHeaderSpec): WithId<MessageHeader> {
  return {
    resourceType: 'MessageHeader',
    id: spec.id,
    meta: { profile: [PROFILE.messageHeader] },
    extension: [handlingExtension(spec.handling)],
    event: { ...spec.event },
    sender: { reference: spec.senderReference },
    timestamp: spec.timestamp,
    source: { endpoint: spec.sourceEndpoint },
    response: spec.response,
    focus: [{ reference: spec.focusReference }],
  };
}

function handlingExtension(handling: HandlingSpecification): Extension {
  return {
    url: EXTENSION.messageHandling,
    extension: [
      { url: 'BusAckRequested', valueBoolean: handling.busAckRequested },
      { url: 'InfAckRequested', valueBoolean: handling.infAckRequested },
      { url: 'RecipientType', valueCoding: { ...handling.recipientType } },
      { url: 'MessageDefinition', valueReference: { reference: handling.messageDefinition } },
      { url: 'SenderReference', valueString: handling.senderReference },
      { url: 'LocalExtension', valueString: handling.localExtension },
    ],
  };
}

/** The header profile allows only identifiers: name, telecom and address are 0..0. */
export function headerOrganization(id: string, odsCode: string): WithId<Organization> {
  return {
    resourceType: 'Organization',
    id,
    meta: { profile: [PROFILE.headerOrganization] },
    identifier: [{ system: SYSTEM.odsOrganizationCode, value: odsCode }],
  };
}

export function messageBundle(id: string, entries: BundleEntry[]): WithId<Bundle> {
  return {
    resourceType: 'Bundle',
    id,
    meta: { profile: [PROFILE.messageBundle] },
    identifier: { system: SYSTEM.rfc4122, value: id },
    type: 'message',
    entry: entries,
  };
}
