/**
 * The header checks of a received Send Document message, shared by the receiving practice simulator and fedreport's
 * receiver (received-message-validation.ts adds the payload checks): what a receiving GP system checks before it
 * files a Send Document message (GPCM-SD-065/066: invalid ⇒ negative ITK3 response, not processed), and which
 * infrastructure code each failure earns (domain-reference §4.5):
 *
 * | failure                                                           | code  |
 * |-------------------------------------------------------------------|-------|
 * | not UTF-8, not well-formed XML/JSON, a DTD, not FHIR              | 10009 |
 * | FHIR the STU3 reader refuses, inside the MessageHeader            | 20006 |
 * | FHIR the STU3 reader refuses, elsewhere (the payload)             | 20009 |
 * | no ITK3 handling specification extension                          | 10001 |
 * | no SenderReference                                                | 10007 |
 * | not a message Bundle led by an ITK007C MessageHeader with source  | 20006 |
 * | InfAckRequested not true (GP Connect requires it)                 | 10002 |
 * | BusAckRequested not true (GP Connect requires it)                 | 10003 |
 * | no Patient with an NHS number in the payload                      | 20009 |
 *
 * Duplicates (20007) need memory of earlier messages and are decided by whoever holds that memory. Diagnostics are
 * Itk3ParseError messages and fixed texts: element paths and reasons, never values (FHIR-BA-02: no patient data).
 */
import { z } from 'zod';
import { Itk3ParseError } from './errors';
import { EXTENSION, SYSTEM, UNREADABLE_ORIGINAL_IDENTIFIER } from './fhir-uris';
import { readFhir, type MessageFormat } from './message-format';
import { readSendDocumentHeader, type SendDocumentHeader } from './send-document-reader';
import { normaliseNhsNumber } from '../../domain/nhs-number';

/** What validation found wrong with a message: the negative infrastructure code it earns and why. */
export interface Rejection {
  code: string;
  /** OperationOutcome.issue.diagnostics: element paths and reasons, never values. */
  diagnostics: string;
}

export interface IncomingAssessment {
  /** The format to answer in: the sender's own. */
  format: MessageFormat;
  /** What the answers quote: MessageHeader.id and SenderReference, or UNREADABLE-IN-ORIGINAL-MESSAGE. */
  original: { messageHeaderId: string; senderReference: string };
  /** MessageHeader.source.endpoint, when it could be read: the mailbox acknowledgements go to. */
  replyTo?: string;
  /** The payload Patient's NHS number, when it could be read: selects a per-patient behaviour. Never logged. */
  nhsNumber?: string;
  /** Absent for a message the practice accepts. */
  rejection?: Rejection;
  /** The message as read, when it could be read: what the payload checks continue with. */
  message?: unknown;
}

const MESSAGE_HEADER_PATH = 'Bundle.entry.resource.MessageHeader';

/**
 * Only the MessageHeader id, read as assessIncomingMessage reads it (same parser, none of the checks): what the
 * inbox names a received message by before anything validates it. Undefined when the message cannot be read.
 */
export function readOriginalMessageHeaderId(body: Buffer): string | undefined {
  let resource: unknown;
  try {
    resource = readFhir(body);
  } catch (error) {
    if (!(error instanceof Itk3ParseError)) throw error;
    return undefined;
  }
  const { messageHeaderId } = readableParts(resource).original;
  return messageHeaderId === UNREADABLE_ORIGINAL_IDENTIFIER ? undefined : messageHeaderId;
}

export function assessIncomingMessage(body: Buffer): IncomingAssessment {
  const format = formatOf(body);
  let resource: unknown;
  try {
    resource = readFhir(body);
  } catch (error) {
    if (!(error instanceof Itk3ParseError)) throw error;
    if (error.reason === 'unreadable' || error.reason === 'not-fhir') {
      return {
        format,
        original: {
          messageHeaderId: UNREADABLE_ORIGINAL_IDENTIFIER,
          senderReference: UNREADABLE_ORIGINAL_IDENTIFIER,
        },
        rejection: { code: '10009', diagnostics: error.message },
      };
    }
    const inHeader = error.field?.startsWith(MESSAGE_HEADER_PATH) ?? false;
    return {
      format,
      ...readableParts(undefined),
      rejection: { code: inHeader ? '20006' : '20009', diagnostics: error.message },
    };
  }

  const parts = readableParts(resource);
  let header: SendDocumentHeader;
  try {
    header = readSendDocumentHeader(body);
  } catch (error) {
    if (!(error instanceof Itk3ParseError)) throw error;
    return { format, ...parts, rejection: { code: headerFailureCode(error), diagnostics: error.message } };
  }
  const accepted = {
    format,
    original: { messageHeaderId: header.messageHeaderId, senderReference: header.senderReference },
    replyTo: header.senderMailboxId,
    nhsNumber: parts.nhsNumber,
    message: resource,
  };
  if (!header.infAckRequested) {
    return {
      ...accepted,
      rejection: { code: '10002', diagnostics: 'InfAckRequested must be true for Send Document' },
    };
  }
  if (!header.busAckRequested) {
    return {
      ...accepted,
      rejection: { code: '10003', diagnostics: 'BusAckRequested must be true for Send Document' },
    };
  }
  if (parts.nhsNumber === undefined) {
    return {
      ...accepted,
      rejection: { code: '20009', diagnostics: 'the document has no Patient with an NHS number identifier' },
    };
  }
  return accepted;
}

function headerFailureCode(error: Itk3ParseError): string {
  // The reader names a missing extension array `extension` and a missing handling extension `MessageHeader.extension`.
  if (error.field !== undefined && /^(MessageHeader\.)?extension$/.test(error.field)) return '10001';
  if (error.field?.endsWith('SenderReference')) return '10007';
  return '20006';
}

/** Told apart like readFhir does it, so a malformed body is still answered in the format it pretended to be. */
function formatOf(body: Buffer): MessageFormat {
  return body
    .toString('utf8', 0, 64)
    .replace(/^\uFEFF/, '')
    .trimStart()
    .startsWith('{')
    ? 'json'
    : 'xml';
}

const handlingKeySchema = z.object({ url: z.string(), valueString: z.string().optional() }).passthrough();

const headerPartsSchema = z
  .object({
    resourceType: z.literal('MessageHeader'),
    id: z.string().min(1).optional(),
    source: z
      .object({ endpoint: z.string().min(1).optional() })
      .passthrough()
      .optional(),
    extension: z
      .array(z.object({ url: z.string(), extension: z.array(handlingKeySchema).optional() }).passthrough())
      .optional(),
  })
  .passthrough();

const containerSchema = z
  .object({
    resourceType: z.string(),
    entry: z.array(z.object({ resource: z.unknown() }).passthrough()).optional(),
  })
  .passthrough();
const patientSchema = z
  .object({
    resourceType: z.literal('Patient'),
    identifier: z.array(
      z.object({ system: z.string().optional(), value: z.string().optional() }).passthrough(),
    ),
  })
  .passthrough();

type ReadableParts = Pick<IncomingAssessment, 'original' | 'replyTo' | 'nhsNumber'>;

/**
 * Best effort on a message the strict header reader refused: a negative answer should still quote the original's
 * MessageHeader.id and SenderReference and reach source.endpoint when those are there to read.
 */
function readableParts(resource: unknown): ReadableParts {
  const bundle = containerSchema.safeParse(resource);
  const entries = bundle.success ? (bundle.data.entry ?? []).map((e) => e.resource) : [];
  const header = headerPartsSchema.safeParse(entries[0]);
  const handling = header.success
    ? header.data.extension?.find((e) => e.url === EXTENSION.messageHandling)?.extension
    : undefined;
  return {
    original: {
      messageHeaderId: (header.success ? header.data.id : undefined) ?? UNREADABLE_ORIGINAL_IDENTIFIER,
      senderReference:
        handling?.find((key) => key.url === 'SenderReference')?.valueString ?? UNREADABLE_ORIGINAL_IDENTIFIER,
    },
    replyTo: header.success ? header.data.source?.endpoint : undefined,
    nhsNumber: patientNhsNumber(entries),
  };
}

/** The Patient sits in the document Bundle (Composition payload); a Patient directly in the message counts too. */
function patientNhsNumber(entries: unknown[]): string | undefined {
  const candidates = entries.flatMap((entry) => {
    const parsed = containerSchema.safeParse(entry);
    return parsed.success && parsed.data.resourceType === 'Bundle'
      ? (parsed.data.entry ?? []).map((e) => e.resource)
      : [entry];
  });
  for (const candidate of candidates) {
    const patient = patientSchema.safeParse(candidate);
    const value = patient.success
      ? patient.data.identifier.find((i) => i.system === SYSTEM.nhsNumber)?.value
      : undefined;
    if (value) return normaliseNhsNumber(value);
  }
  return undefined;
}
