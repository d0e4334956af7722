/**
 * What the archive accepts and answers (zod at its boundary). The repository parses every input with these schemas,
 * so bad input is refused with the project's ValidationError, naming the field and never echoing a value.
 */
import { z } from 'zod';
import { humanNameSchema, nhsNumberSchema, odsCodeSchema } from '../../domain/snapshot';
import { ANSWER_KINDS, SENT_MESSAGE_STATES } from './archive-schema';

const guid = z.string().uuid('must be a GUID');
const meshMessageId = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(100, 'must be at most 100 characters');
const bytes = z.instanceof(Uint8Array, { message: 'must be bytes' });

/** The patient data kept with a message, sealed; only its NHS number's keyed hash is searchable. */
export const archivedPatientSchema = z
  .object({
    nhsNumber: nhsNumberSchema,
    name: humanNameSchema.optional(),
    birthDate: z.string().max(10).optional(),
  })
  .strict();
export type ArchivedPatient = z.infer<typeof archivedPatientSchema>;

export const sendingCopySchema = z
  .object({
    localId: guid,
    encounterGuid: guid,
    reportVersion: z.number().int().positive(),
    senderOds: odsCodeSchema,
    recipientOds: odsCodeSchema,
    body: bytes,
    patient: archivedPatientSchema,
    at: z.date(),
  })
  .strict();
export type SendingCopy = z.input<typeof sendingCopySchema>;

export const sentOutcomeSchema = z.object({ localId: guid, meshMessageId, at: z.date() }).strict();
export type SentOutcome = z.input<typeof sentOutcomeSchema>;

export const answerSchema = z
  .object({
    localId: guid,
    kind: z.enum(ANSWER_KINDS),
    meshMessageId,
    /** ITK3 acknowledgement code, MESH REPORT class or quarantine reason code: a code, never free text. */
    code: z.string().regex(/^[A-Za-z0-9._:-]{1,64}$/, 'must be a code (letters, digits, ".", "_", ":", "-")'),
    body: bytes,
    at: z.date(),
    /** The message's state after this answer, when the answer decides it (a negative ack: rejected). */
    messageState: z.enum(SENT_MESSAGE_STATES).optional(),
  })
  .strict();
export type Answer = z.input<typeof answerSchema>;

export const archiveQuerySchema = z
  .object({
    encounterGuid: guid.optional(),
    nhsNumber: nhsNumberSchema.optional(),
    /** Sender or recipient. */
    practiceOds: odsCodeSchema.optional(),
    from: z.date().optional(),
    to: z.date().optional(),
    state: z.enum(SENT_MESSAGE_STATES).optional(),
    limit: z.number().int().min(1).max(1000).default(100),
  })
  .strict()
  .refine((query) => !query.from || !query.to || query.from <= query.to, {
    path: ['to'],
    message: 'must not be before from',
  });
export type ArchiveQuery = z.input<typeof archiveQuerySchema>;

export const attachmentSchema = z
  .object({
    content: bytes,
    mediaType: z.string().regex(/^[a-z]+\/[a-z0-9.+-]+$/i, 'must be a media type (type/subtype)'),
  })
  .strict();

/** One archived sent message as search lists it: plain columns only, no patient data. */
export interface SentMessageSummary {
  localId: string;
  meshMessageId: string | null;
  encounterGuid: string;
  reportVersion: number;
  senderOds: string;
  recipientOds: string;
  sha256: string;
  state: (typeof SENT_MESSAGE_STATES)[number];
  createdAt: Date;
  sentAt: Date | null;
}

export interface ArchivedAnswer {
  kind: (typeof ANSWER_KINDS)[number];
  meshMessageId: string;
  code: string;
  receivedAt: Date;
  body: Buffer;
}

/** One archived sent message opened: the bytes as sent, the patient and its answers. */
export interface SentMessageRecord extends SentMessageSummary {
  body: Buffer;
  patient: ArchivedPatient;
  answers: ArchivedAnswer[];
}
