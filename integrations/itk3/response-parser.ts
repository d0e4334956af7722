/**
 * Reads an ITK3 response (infrastructure or business acknowledgement, XML or JSON) into what the encounter workflow
 * needs: which message it answers, the ITK3 code, and whether that is good news. Input comes from other practices'
 * systems, so it is checked with zod and every failure is an Itk3ParseError naming the element.
 */
import { z } from 'zod';
import { fieldIssuesFromZod } from '../../domain/validation-error';
import { Itk3ParseError } from './errors';
import { EVENT, EXTENSION, SYSTEM, UNREADABLE_ORIGINAL_IDENTIFIER } from './fhir-uris';
import { readFhir } from './message-format';
import { ITK3_RESPONSE_CODES, responseKindOf, type ResponseKind } from './response-codes';

export interface Itk3Response {
  /** The response's own MessageHeader.id: a resent acknowledgement repeats it. */
  messageHeaderId: string;
  /** MessageHeader.id of the message answered, or UNREADABLE-IN-ORIGINAL-MESSAGE (ITK3 10009). */
  originalMessageHeaderId: string;
  /**
   * The responder could not read our message (10009 and the like) and quotes UNREADABLE-IN-ORIGINAL-MESSAGE instead
   * of our MessageHeader id: only the echoed SenderReference or MESH ids can tie it to a report.
   */
  unreadableOriginal?: true;
  /** The SenderReference echoed from the original (our encounter GUID), when the responder sent one. */
  senderReference?: string;
  respondedAt?: string;
  /** ODS code of the responding organisation, when its header Organization carries one. */
  responderOdsCode?: string;
  kind: ResponseKind;
  code: string;
  /** The responder's text, else the code table's (foreign text: sanitise before passing it on). */
  display: string;
  /** True only for 20013/30001/30004 with response.code `ok` on every issue; anything else needs a person. */
  positive: boolean;
  /** False for codes outside ITK-ResponseCodes-1 v1.5.0: read, but never positive. */
  recognised: boolean;
  diagnostics?: string;
}

const reference = z.object({ reference: z.string().min(1) }).passthrough();

const codingSchema = z
  .object({
    system: z.string().optional(),
    code: z.string().min(1).optional(),
    display: z.string().optional(),
  })
  .passthrough();

interface ExtensionShape {
  url: string;
  valueString?: string;
  extension?: ExtensionShape[];
}
const extensionSchema: z.ZodType<ExtensionShape> = z.lazy(() =>
  z
    .object({
      url: z.string(),
      valueString: z.string().optional(),
      extension: z.array(extensionSchema).optional(),
    })
    .passthrough(),
);

const firstEntrySchema = z
  .object({ resourceType: z.literal('MessageHeader'), event: codingSchema })
  .passthrough();

const messageHeaderSchema = z
  .object({
    resourceType: z.literal('MessageHeader'),
    id: z.string().min(1),
    extension: z.array(extensionSchema).optional(),
    event: codingSchema,
    sender: reference.optional(),
    timestamp: z.string().optional(),
    response: z
      .object({
        identifier: z.string().min(1),
        code: z.enum(['ok', 'transient-error', 'fatal-error']),
        details: reference.optional(),
      })
      .passthrough(),
  })
  .passthrough();

const entrySchema = z
  .object({
    fullUrl: z.string().optional(),
    resource: z.object({ resourceType: z.string(), id: z.string().optional() }).passthrough(),
  })
  .passthrough();

const messageBundleSchema = z
  .object({
    resourceType: z.literal('Bundle'),
    type: z.literal('message'),
    entry: z.array(entrySchema).min(1),
  })
  .passthrough();

const operationOutcomeSchema = z
  .object({
    resourceType: z.literal('OperationOutcome'),
    issue: z
      .array(
        z
          .object({
            severity: z.string(),
            details: z.object({ coding: z.array(codingSchema).min(1) }).passthrough(),
            diagnostics: z.string().optional(),
          })
          .passthrough(),
      )
      .min(1),
  })
  .passthrough();

const organizationSchema = z
  .object({
    resourceType: z.literal('Organization'),
    identifier: z
      .array(z.object({ system: z.string().optional(), value: z.string().optional() }).passthrough())
      .optional(),
  })
  .passthrough();

type Entry = z.infer<typeof entrySchema>;

/** Parses a response message body (XML or JSON, UTF-8, optional byte order mark). Throws Itk3ParseError. */
export function parseItk3Response(body: string | Uint8Array): Itk3Response {
  const bundle = checked(messageBundleSchema, readFhir(body), 'Bundle', 'unexpected-content');
  // The event is checked before the rest of the header, so a request sent here by mistake is named as such.
  const first = checked(
    firstEntrySchema,
    bundle.entry[0]?.resource,
    'Bundle.entry[0].resource',
    'unexpected-content',
  );
  if (first.event.code !== EVENT.response.code) {
    throw new Itk3ParseError(
      'unexpected-content',
      'MessageHeader.event',
      `not an ITK3 response (${EVENT.response.code})`,
    );
  }
  const header = checked(messageHeaderSchema, first, 'MessageHeader', 'unexpected-content');
  const outcomeEntry = resolve(bundle.entry, header.response.details?.reference, 'OperationOutcome');
  if (!outcomeEntry)
    throw new Itk3ParseError(
      'missing-field',
      'MessageHeader.response.details',
      'the OperationOutcome it refers to is not in the message',
    );
  const outcome = checked(operationOutcomeSchema, outcomeEntry.resource, 'OperationOutcome', 'invalid-field');

  const issues = outcome.issue.map((issue, i) => {
    const coding = issue.details.coding.find((c) => c.system === SYSTEM.responseCodes);
    if (!coding?.code)
      throw new Itk3ParseError(
        'missing-field',
        `OperationOutcome.issue[${i}].details.coding`,
        'no ITK-ResponseCodes-1 code',
      );
    const kind = responseKindOf(coding.code);
    if (!kind)
      throw new Itk3ParseError(
        'invalid-field',
        `OperationOutcome.issue[${i}].details.coding.code`,
        'not an ITK3 response code',
      );
    const known = ITK3_RESPONSE_CODES[coding.code];
    return {
      code: coding.code,
      kind,
      known,
      display: coding.display ?? known?.display ?? '',
      diagnostics: issue.diagnostics,
    };
  });
  // The first negative issue speaks for the response; a positive response is positive on every issue.
  const primary = issues.find((i) => !i.known?.positive) ?? issues[0];
  if (!primary) throw new Itk3ParseError('missing-field', 'OperationOutcome.issue', 'no issue');

  return {
    messageHeaderId: header.id,
    originalMessageHeaderId: header.response.identifier,
    ...(header.response.identifier.trim() === UNREADABLE_ORIGINAL_IDENTIFIER && { unreadableOriginal: true }),
    senderReference: senderReferenceOf(header.extension),
    respondedAt: header.timestamp,
    responderOdsCode: responderOdsCode(bundle.entry, header.sender?.reference),
    kind: primary.kind,
    code: primary.code,
    display: primary.display,
    positive: header.response.code === 'ok' && issues.every((i) => i.known?.positive === true),
    recognised: primary.known !== undefined,
    diagnostics: primary.diagnostics,
  };
}

/** Validates against a schema; the first problem becomes an Itk3ParseError naming its element (never its value). */
function checked<T>(
  schema: z.ZodType<T>,
  value: unknown,
  subject: string,
  wrongKind: 'unexpected-content' | 'invalid-field',
): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const [field] = fieldIssuesFromZod(result.error);
  const missing = issue?.code === 'invalid_type' && issue.received === 'undefined';
  const wrongResource =
    issue?.code === 'invalid_literal' && issue.path.length === 1 && issue.path[0] === 'resourceType';
  throw new Itk3ParseError(
    missing ? 'missing-field' : wrongResource ? wrongKind : 'invalid-field',
    `${subject}.${field?.field ?? ''}`,
    field?.reason ?? 'invalid',
  );
}

/** The entry a reference points at: by fullUrl, by `Type/id`, or the only entry of that type when there is no reference. */
function resolve(entries: Entry[], target: string | undefined, resourceType: string): Entry | undefined {
  if (target === undefined) {
    const candidates = entries.filter((e) => e.resource.resourceType === resourceType);
    return candidates.length === 1 ? candidates[0] : undefined;
  }
  return entries.find(
    (e) => e.fullUrl === target || `${e.resource.resourceType}/${e.resource.id ?? ''}` === target,
  );
}

function senderReferenceOf(extensions: ExtensionShape[] | undefined): string | undefined {
  const handling = extensions?.find((e) => e.url === EXTENSION.messageHandling);
  return handling?.extension?.find((e) => e.url === 'SenderReference')?.valueString;
}

function responderOdsCode(entries: Entry[], senderReference: string | undefined): string | undefined {
  const organization = organizationSchema.safeParse(
    resolve(entries, senderReference, 'Organization')?.resource,
  );
  if (!organization.success) return undefined;
  return organization.data.identifier?.find((i) => i.system === SYSTEM.odsOrganizationCode)?.value;
}
