/**
 * Reads the document a received Send Document message carries, in both payload versions the specifications publish
 * (domain-reference §5.2, §5.3):
 * - v1.3+/1.5: a `document` Bundle led by a Composition whose sections reference the attachments (Binary, PDF first),
 *   `relatesTo` `replaces` naming the document it replaces;
 * - v1.2.x: a `collection` Bundle with a Task whose input references a DocumentReference holding the PDF.
 * The sender is the header Organization MessageHeader.sender references. Throws Itk3ParseError naming the element;
 * errors never quote values (they may be patient data).
 */
import { z } from 'zod';
import { normaliseNhsNumber } from '../../domain/nhs-number';
import { Itk3ParseError } from './errors';
import { SYSTEM } from './fhir-uris';

export type PayloadVersion = 'composition' | 'task';

export interface ReceivedAttachment {
  contentType: string;
  /** Base64 content without the white space FHIR's base64Binary allows (XML senders wrap long lines). */
  base64: string;
}

export interface ReceivedDocument {
  payloadVersion: PayloadVersion;
  /** Composition.identifier (v1.3+), else the DocumentReference's or the payload Bundle's identity. */
  documentId: string;
  /** The document this one replaces (Composition.relatesTo `replaces`); v1.2.x cannot say. */
  replacesDocumentId?: string;
  /** Composition meta.versionId, when the sender put the report version there (SD 1.3.2). */
  version?: number;
  senderOdsCode: string;
  nhsNumber: string;
  /** In document order; the report PDF should be first (GPCM-SD-124). */
  attachments: ReceivedAttachment[];
}

type Resource = { resourceType: string; id?: string } & Record<string, unknown>;
interface Entry {
  fullUrl?: string;
  resource: Resource;
}

const resourceSchema = z.object({ resourceType: z.string(), id: z.string().optional() }).passthrough();
const entriesSchema = z.array(
  z.object({ fullUrl: z.string().optional(), resource: resourceSchema }).passthrough(),
);
const referenceSchema = z.object({ reference: z.string() }).passthrough();
const identifierSchema = z
  .object({ system: z.string().optional(), value: z.string().optional() })
  .passthrough();
const bundleSchema = z
  .object({
    resourceType: z.literal('Bundle'),
    id: z.string().optional(),
    identifier: identifierSchema.optional(),
    type: z.string(),
    entry: entriesSchema.min(1),
  })
  .passthrough();
const headerSchema = z
  .object({
    sender: referenceSchema,
    focus: z.array(referenceSchema).optional(),
  })
  .passthrough();
const withIdentifiersSchema = z.object({ identifier: z.array(identifierSchema) }).passthrough();
const compositionSchema = z
  .object({
    resourceType: z.literal('Composition'),
    meta: z.object({ versionId: z.string().optional() }).passthrough().optional(),
    identifier: identifierSchema.optional(),
    subject: referenceSchema,
    section: z.array(z.object({ entry: z.array(referenceSchema).optional() }).passthrough()).optional(),
    relatesTo: z
      .array(z.object({ code: z.string(), targetIdentifier: identifierSchema.optional() }).passthrough())
      .optional(),
  })
  .passthrough();
const binarySchema = z
  .object({ resourceType: z.literal('Binary'), contentType: z.string(), content: z.string() })
  .passthrough();
const taskSchema = z
  .object({
    resourceType: z.literal('Task'),
    for: referenceSchema,
    input: z.array(z.object({ valueReference: referenceSchema.optional() }).passthrough()).optional(),
  })
  .passthrough();
const documentReferenceSchema = z
  .object({
    resourceType: z.literal('DocumentReference'),
    id: z.string().optional(),
    masterIdentifier: identifierSchema.optional(),
    content: z.array(
      z
        .object({ attachment: z.object({ contentType: z.string(), data: z.string() }).passthrough() })
        .passthrough(),
    ),
  })
  .passthrough();

const HEADER = 'MessageHeader';
const PAYLOAD = 'Bundle.entry.resource.Bundle';

/** `message` is a message Bundle whose MessageHeader incoming-assessment.ts already accepted. */
export function readReceivedDocument(message: unknown): ReceivedDocument {
  const messageEntries = parse(bundleSchema, message, 'Bundle', 'is not a message Bundle').entry;
  const header = parse(headerSchema, messageEntries[0]?.resource, HEADER, 'has no sender');
  const senderOdsCode = odsCodeOf(resolve(messageEntries, header.sender.reference), `${HEADER}.sender`);
  const focus = header.focus?.[0] ? resolve(messageEntries, header.focus[0].reference) : undefined;
  const payload = parse(
    bundleSchema,
    focus ?? messageEntries.find((e) => e.resource.resourceType === 'Bundle')?.resource,
    PAYLOAD,
    'the message carries no document Bundle',
  );
  const read = payload.type === 'collection' ? readTaskPayload : readCompositionPayload;
  const document = read(payload.entry);
  return {
    ...document,
    documentId:
      document.documentId ?? payload.identifier?.value ?? payload.id ?? missing(`${PAYLOAD}.identifier`),
    senderOdsCode,
  };
}

type PayloadParts = Omit<ReceivedDocument, 'senderOdsCode' | 'documentId'> & { documentId?: string };

function readCompositionPayload(entries: Entry[]): PayloadParts {
  const composition = parse(
    compositionSchema,
    entries[0]?.resource,
    `${PAYLOAD}.Composition`,
    'must lead the document',
  );
  const sectionReferences = (composition.section ?? []).flatMap((s) => s.entry ?? []);
  const attachments = sectionReferences.flatMap((reference) => {
    const binary = binarySchema.safeParse(resolve(entries, reference.reference));
    return binary.success ? [{ contentType: binary.data.contentType, base64: withoutWhiteSpace(binary.data.content) }] : [];
  });
  const version = Number(composition.meta?.versionId);
  return {
    payloadVersion: 'composition',
    documentId: composition.identifier?.value,
    replacesDocumentId: composition.relatesTo?.find((r) => r.code === 'replaces')?.targetIdentifier?.value,
    version: Number.isSafeInteger(version) && version > 0 ? version : undefined,
    nhsNumber: nhsNumberOf(resolve(entries, composition.subject.reference), `${PAYLOAD}.Composition.subject`),
    attachments,
  };
}

function readTaskPayload(entries: Entry[]): PayloadParts {
  const task = parse(
    taskSchema,
    entries.find((e) => e.resource.resourceType === 'Task')?.resource,
    `${PAYLOAD}.Task`,
    'the v1.2 payload has no Task for the patient',
  );
  const inputs = (task.input ?? []).flatMap((i) =>
    i.valueReference ? [resolve(entries, i.valueReference.reference)] : [],
  );
  const documentReference = parse(
    documentReferenceSchema,
    inputs.find((r) => r?.resourceType === 'DocumentReference'),
    `${PAYLOAD}.Task.input`,
    'references no DocumentReference with content',
  );
  return {
    payloadVersion: 'task',
    documentId: documentReference.masterIdentifier?.value ?? documentReference.id,
    nhsNumber: nhsNumberOf(resolve(entries, task.for.reference), `${PAYLOAD}.Task.for`),
    attachments: documentReference.content.map(({ attachment }) => ({
      contentType: attachment.contentType,
      base64: withoutWhiteSpace(attachment.data),
    })),
  };
}

/**
 * A reference names an entry by its fullUrl (`urn:uuid:…`) or as `Type/id`; the published examples use both, and
 * one gives a resource the id `urn:uuid:…`, so `Type/id` also matches that fullUrl.
 */
function resolve(entries: Entry[], reference: string): Resource | undefined {
  const [type, id] = reference.split('/');
  return entries.find(
    (e) =>
      e.fullUrl === reference ||
      (id !== undefined &&
        e.resource.resourceType === type &&
        (e.resource.id === id || e.fullUrl === `urn:uuid:${id}`)),
  )?.resource;
}

function odsCodeOf(resource: Resource | undefined, field: string): string {
  const organization = withIdentifiersSchema.safeParse(resource);
  const value =
    resource?.resourceType === 'Organization' && organization.success
      ? organization.data.identifier.find((i) => i.system === SYSTEM.odsOrganizationCode)?.value
      : undefined;
  return value ?? missing(field, 'must reference an Organization with an ODS code');
}

function nhsNumberOf(resource: Resource | undefined, field: string): string {
  const patient = withIdentifiersSchema.safeParse(resource);
  const value =
    resource?.resourceType === 'Patient' && patient.success
      ? patient.data.identifier.find((i) => i.system === SYSTEM.nhsNumber)?.value
      : undefined;
  return value ? normaliseNhsNumber(value) : missing(field, 'must reference a Patient with an NHS number');
}

function parse<T>(schema: z.ZodType<T>, value: unknown, field: string, reason: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const path = result.error.issues[0]?.path.join('.');
  throw new Itk3ParseError(
    value === undefined ? 'missing-field' : 'invalid-field',
    path ? `${field}.${path}` : field,
    reason,
  );
}

function missing(field: string, reason = 'is required'): never {
  throw new Itk3ParseError('missing-field', field, reason);
}

const withoutWhiteSpace = (base64: string): string => base64.replace(/\s+/g, '');
