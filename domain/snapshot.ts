/**
 * The consultation snapshot contract: the complete state of one consultation as the clinical system saved it.
 * One schema shared by the HTTP hook (validation), the encounter workflow (signal payload), the PDF and the
 * ITK3 message. Pure (zod only), so workflow code may import it.
 */
import { z } from 'zod';
import { nhsNumberProblem, normaliseNhsNumber } from './nhs-number';
import { SNAPSHOT_SCHEMA_VERSION, upgradeSubmittedSnapshot } from './snapshot-versions';
import { parseBounded } from './input-bounds';
import { textXmlCannotCarry } from './xml-text';

/**
 * Every string has a maximum length and every array a maximum number of items, checked before anything else
 * (domain/input-bounds.ts), so the cost of refusing a body is bounded by the contract, not by the body.
 */
const bounded = (max: number) => z.string().max(max, `must be at most ${max} characters`);
const nonEmpty = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
const optionalText = (max: number) => nonEmpty(max).optional();

const isoDate = bounded(10)
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'is not a real calendar date');

/** An instant with its offset, as clinical systems send them. */
export const isoDateTime = bounded(40).datetime({ offset: true, message: 'must be an ISO 8601 date-time with a time zone (e.g. 2026-11-21T09:30:00Z)' });

/** ODS organisation codes: 3 to 10 upper-case letters and digits (practices are typically letter + 5 digits). */
export const odsCodeSchema = bounded(10).regex(/^[A-Z0-9]{3,10}$/, 'must be an ODS code (3-10 upper-case letters or digits)');

/** UK telephone number as entered; formatting for display is the PDF's concern. */
const phone = bounded(40).trim().regex(/^\+?[0-9 ()-]{6,20}(\s*x\s*\d{1,6})?$/, 'must be a telephone number (digits, spaces, optional x extension)');

export const addressSchema = z
  .object({
    lines: z.array(nonEmpty(100)).min(1).max(5),
    city: optionalText(100),
    district: optionalText(100),
    postalCode: bounded(10).trim().regex(/^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$/i, 'must be a UK postcode').optional(),
  })
  .strict();

export const humanNameSchema = z
  .object({
    title: optionalText(35),
    given: z.array(nonEmpty(100)).min(1).max(5),
    family: nonEmpty(100),
  })
  .strict();

export const nhsNumberSchema = bounded(20)
  .transform(normaliseNhsNumber)
  .superRefine((value, ctx) => {
    const problem = nhsNumberProblem(value);
    if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
  });

/**
 * Registration type at the hosting practice (CareConnect-RegistrationType-1): R regular (GMS/PMS), E emergency,
 * IN immediately necessary, T temporary, P private, O other, S synthetic record.
 */
export const registrationTypeSchema = z.enum(['R', 'E', 'IN', 'T', 'P', 'O', 'S']);
export type RegistrationType = z.infer<typeof registrationTypeSchema>;

export const codingSchema = z
  .object({
    system: bounded(500).url('must be a code system URI'),
    code: nonEmpty(50),
    display: optionalText(500),
  })
  .strict();

export const noteItemSchema = z
  .object({
    text: nonEmpty(10_000),
    coding: codingSchema.optional(),
    /** Item-level confidentiality: the report shows "Confidential item" instead. */
    confidential: z.boolean().default(false),
  })
  .strict();

export const sectionSchema = z
  .object({
    title: nonEmpty(200),
    items: z.array(noteItemSchema).min(1).max(500),
  })
  .strict();

/**
 * Items of all the snapshot's lists together (note items, sections, lines, names, actions, attachments). Far above a
 * consultation's; the lists' own bounds multiply to 50,000 note items, whose validation alone blocks for 0.2 s.
 */
export const MAX_SNAPSHOT_LIST_ITEMS = 2_000;

/**
 * The most one consultation's attachments may hold together, decoded: ITK3 recommends at most 5 MB per message
 * (receivers may refuse larger ones with 20015, docs/domain-reference.md). The hook refuses more with 413.
 */
export const MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024;

/**
 * Bounds the work of checking one attachment, not its size: twice the limit of all attachments together, so one over
 * that limit is refused as 413 by the size check (client/attachment-budget.ts), not as a field too long.
 */
const MAX_ATTACHMENT_BASE64_CHARACTERS = Math.ceil((2 * MAX_ATTACHMENT_BYTES) / 3) * 4;

const NOT_BASE64_ALPHABET = /[^A-Za-z0-9+/]/;

/**
 * Base64 text with at most two padding characters. Not one regular expression: `^[A-Za-z0-9+/]+={0,2}$` over
 * megabytes of data backtracks deep enough to throw RangeError (stack overflow) when the call stack is already deep.
 */
function isBase64(text: string): boolean {
  const firstPad = text.indexOf('=');
  const content = firstPad < 0 ? text : text.slice(0, firstPad);
  const padding = firstPad < 0 ? '' : text.slice(firstPad);
  return content.length > 0 && (padding === '' || padding === '=' || padding === '==') && !NOT_BASE64_ALPHABET.test(content);
}

/** A document linked to the consultation; sent as a further ITK3 attachment after the report PDF. */
export const attachmentSchema = z
  .object({
    id: nonEmpty(64),
    title: nonEmpty(200),
    contentType: bounded(100).regex(/^[a-z]+\/[a-z0-9.+-]+$/i, 'must be a MIME type'),
    /** Base64 content. */
    data: bounded(MAX_ATTACHMENT_BASE64_CHARACTERS).min(1, 'must not be empty').refine(isBase64, 'must be base64'),
  })
  .strict();

/** An attachment as the client sent it, content inline. */
export type InlineAttachment = z.output<typeof attachmentSchema>;

/**
 * An attachment the hook stored in the archive (content-addressed, sealed): workflows carry this instead of the
 * content, and the sending activity reads the content back, checking it against the digest.
 */
export interface AttachmentReference {
  id: string;
  title: string;
  contentType: string;
  /** SHA-256 of the decoded content, lower-case hex: its key in the archive. */
  sha256: string;
  sizeBytes: number;
}

/** Snapshots saved before attachments went by reference (and those the CLI submits) carry them inline. */
export type SnapshotAttachment = InlineAttachment | AttachmentReference;

export function isAttachmentReference(attachment: SnapshotAttachment): attachment is AttachmentReference {
  return 'sha256' in attachment;
}

/**
 * Every string as it will be stored (trimmed, normalised), wherever it sits, must be text the report's FHIR XML can
 * carry. Runs with the other cross-field rules, i.e. once every field has the right type.
 */
function refuseTextXmlCannotCarry(snapshot: object, ctx: z.RefinementCtx): void {
  for (const { path, character } of textXmlCannotCarry(snapshot)) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path,
      message: `contains ${character}, which XML 1.0 cannot carry (a control character, U+FFFE, U+FFFF or a lone surrogate)`,
    });
  }
}

export const consultationSnapshotSchema = z
  .object({
    schemaVersion: z
      .literal(SNAPSHOT_SCHEMA_VERSION, { errorMap: () => ({ message: `must be ${SNAPSHOT_SCHEMA_VERSION}` }) })
      .default(SNAPSHOT_SCHEMA_VERSION)
      .describe('Version of this contract the snapshot follows; absent means 1. See domain/snapshot-versions.ts'),
    /** Clinical system's encounter GUID: the workflow identity and the ITK3 SenderReference. */
    encounterId: bounded(36).uuid('must be a GUID'),
    /** Increases with every save; stale or repeated revisions are ignored. */
    revision: z.number().int('must be an integer').min(1, 'must be at least 1'),
    savedAt: isoDateTime,
    hostingPractice: z
      .object({
        odsCode: odsCodeSchema,
        name: nonEmpty(200),
        address: addressSchema,
        phone: phone.optional(),
        email: bounded(254).email('must be an email address').optional(),
        branchLocation: optionalText(200),
      })
      .strict(),
    clinician: z
      .object({
        name: humanNameSchema,
        role: nonEmpty(100),
        sdsUserId: bounded(12).regex(/^[0-9]{6,12}$/, 'must be an SDS user id (6-12 digits)'),
        phone: phone.optional(),
      })
      .strict(),
    patient: z
      .object({
        nhsNumber: nhsNumberSchema,
        name: humanNameSchema,
        birthDate: isoDate,
        gender: z.enum(['male', 'female', 'other', 'unknown']),
        phones: z
          .object({ home: phone.optional(), mobile: phone.optional(), current: phone.optional() })
          .strict()
          .default({}),
        registeredAddress: addressSchema,
        /** Where the patient is staying, when temporarily away from the registered address. */
        currentAddress: addressSchema.optional(),
        registrationType: registrationTypeSchema,
      })
      .strict(),
    consultation: z
      .object({
        startedAt: isoDateTime,
        confidential: z.boolean().default(false),
        sections: z.array(sectionSchema).min(1).max(100),
        followUpActions: z.array(nonEmpty(2000)).max(100).default([]),
        attachments: z.array(attachmentSchema).max(20).default([]),
      })
      .strict(),
  })
  .strict()
  .superRefine((snapshot, ctx) => {
    refuseTextXmlCannotCarry(snapshot, ctx);
    if (snapshot.patient.birthDate > snapshot.consultation.startedAt.slice(0, 10)) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['patient', 'birthDate'], message: 'must not be after the consultation date' });
    }
    if (Date.parse(snapshot.consultation.startedAt) > Date.parse(snapshot.savedAt)) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['consultation', 'startedAt'], message: 'must not be after savedAt' });
    }
    const ids = new Set<string>();
    snapshot.consultation.attachments.forEach(({ id }, i) => {
      if (ids.has(id)) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['consultation', 'attachments', i, 'id'], message: 'duplicates an earlier attachment id' });
      }
      ids.add(id);
    });
  });

/** A validated snapshot (defaults applied, NHS number normalised), every attachment's content inline. */
export type ResolvedSnapshot = z.output<typeof consultationSnapshotSchema>;
/** A snapshot as workflows carry it: attachments inline or by reference to the archive. */
export type ConsultationSnapshot = Omit<ResolvedSnapshot, 'consultation'> & {
  consultation: Omit<ResolvedSnapshot['consultation'], 'attachments'> & { attachments: SnapshotAttachment[] };
};
/** What a clinical system may send (optional fields with defaults may be omitted). */
export type ConsultationSnapshotInput = z.input<typeof consultationSnapshotSchema>;
export type Address = z.output<typeof addressSchema>;
export type HumanName = z.output<typeof humanNameSchema>;

/**
 * Parses untrusted input (of this contract version or an older one, brought up to this one first); throws
 * ValidationError naming each field and reason.
 */
export function parseConsultationSnapshot(input: unknown): ResolvedSnapshot {
  return parseBounded(consultationSnapshotSchema, upgradeSubmittedSnapshot(input), 'consultation snapshot', {
    maxTotalItems: MAX_SNAPSHOT_LIST_ITEMS,
  });
}
