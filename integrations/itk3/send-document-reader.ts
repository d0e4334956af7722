/**
 * Reads what a receiver needs to acknowledge a Send Document message: the MessageHeader id its responses must quote,
 * the SenderReference they echo, and where to send them. Used by the receiving practice simulator and the CLI.
 */
import { z } from 'zod';
import { Itk3ParseError } from './errors';
import { EVENT, EXTENSION } from './fhir-uris';
import { readFhir } from './message-format';

export interface SendDocumentHeader {
  messageHeaderId: string;
  senderReference: string;
  /** MessageHeader.source.endpoint: the sender's MESH mailbox, where acknowledgements go. */
  senderMailboxId: string;
  infAckRequested: boolean;
  busAckRequested: boolean;
}

const handlingSchema = z
  .object({
    url: z.literal(EXTENSION.messageHandling),
    extension: z.array(
      z
        .object({ url: z.string(), valueString: z.string().optional(), valueBoolean: z.boolean().optional() })
        .passthrough(),
    ),
  })
  .passthrough();

const sendDocumentSchema = z
  .object({
    resourceType: z.literal('Bundle'),
    type: z.literal('message'),
    entry: z
      .array(z.object({ resource: z.object({ resourceType: z.string() }).passthrough() }).passthrough())
      .min(1)
      .transform((entries) => entries[0]?.resource),
  })
  .passthrough()
  .transform((bundle) => bundle.entry)
  .pipe(
    z
      .object({
        resourceType: z.literal('MessageHeader'),
        id: z.string().min(1),
        event: z.object({ code: z.literal(EVENT.sendDocument.code) }).passthrough(),
        extension: z.array(z.object({ url: z.string() }).passthrough()),
        source: z.object({ endpoint: z.string().min(1) }).passthrough(),
      })
      .passthrough(),
  );

/** Throws Itk3ParseError when the body is not a readable ITK3 Send Document message. */
export function readSendDocumentHeader(body: string | Uint8Array): SendDocumentHeader {
  const result = sendDocumentSchema.safeParse(readFhir(body));
  if (!result.success) {
    const path = result.error.issues[0]?.path.join('.') ?? '';
    throw new Itk3ParseError(
      'unexpected-content',
      path || undefined,
      'not an ITK3 Send Document message (ITK007C)',
    );
  }
  const header = result.data;
  const handling = handlingSchema.safeParse(
    header.extension.find((e) => e.url === EXTENSION.messageHandling),
  );
  if (!handling.success)
    throw new Itk3ParseError('missing-field', 'MessageHeader.extension', 'no ITK3 handling specification');
  const key = (url: string) => handling.data.extension.find((e) => e.url === url);
  const senderReference = key('SenderReference')?.valueString;
  if (!senderReference)
    throw new Itk3ParseError('missing-field', 'MessageHeader.extension.SenderReference', 'is required');
  return {
    messageHeaderId: header.id,
    senderReference,
    senderMailboxId: header.source.endpoint,
    infAckRequested: key('InfAckRequested')?.valueBoolean === true,
    busAckRequested: key('BusAckRequested')?.valueBoolean === true,
  };
}
