/**
 * Attachments by reference (issue 17): the hook stores each attachment of a save in the archive (content-addressed,
 * sealed) and the snapshot workflows carry names its digest instead of its content, which keeps Temporal payloads
 * small and lets a consultation hold more than Temporal's payload limit. The sending activity reads the content back
 * and checks it against the digest. Snapshots with inline content (saved before this, or submitted by the CLI) pass
 * through unchanged.
 */
import crypto from 'node:crypto';
import {
  isAttachmentReference,
  type AttachmentReference,
  type ConsultationSnapshot,
  type InlineAttachment,
  type ResolvedSnapshot,
  type SnapshotAttachment,
} from '../../domain/snapshot';
import type { ArchiveRepository } from './archive-repository';

export type AttachmentStore = Pick<ArchiveRepository, 'storeAttachment' | 'readAttachment'>;

/** An attachment the archive does not hold, or holds with other content than its reference's digest. */
export class AttachmentIntegrityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AttachmentIntegrityError';
  }
}

/** Decoded bytes of every attachment of the snapshot, inline or stored. */
export function attachmentBytes(snapshot: ConsultationSnapshot): number {
  return snapshot.consultation.attachments.reduce(
    (sum, attachment) =>
      sum +
      (isAttachmentReference(attachment)
        ? attachment.sizeBytes
        : Buffer.byteLength(attachment.data, 'base64')),
    0,
  );
}

/** The snapshot with each inline attachment stored in the archive and replaced by its reference. */
export async function storeSnapshotAttachments(
  store: AttachmentStore,
  snapshot: ConsultationSnapshot,
): Promise<ConsultationSnapshot> {
  const attachments: SnapshotAttachment[] = [];
  // One at a time: each holds up to megabytes, sealed in memory before it is written.
  for (const attachment of snapshot.consultation.attachments) {
    attachments.push(isAttachmentReference(attachment) ? attachment : await storeOne(store, attachment));
  }
  return { ...snapshot, consultation: { ...snapshot.consultation, attachments } };
}

async function storeOne(
  store: AttachmentStore,
  { data, ...described }: InlineAttachment,
): Promise<AttachmentReference> {
  const content = Buffer.from(data, 'base64');
  const sha256 = await store.storeAttachment(content, described.contentType);
  return { ...described, sha256, sizeBytes: content.byteLength };
}

/**
 * The snapshot with every referenced attachment's content read back from the archive (base64, as the client sent
 * it). Throws AttachmentIntegrityError when one is missing or its content does not match its digest.
 */
export async function resolveSnapshotAttachments(
  store: AttachmentStore | undefined,
  snapshot: ConsultationSnapshot,
): Promise<ResolvedSnapshot> {
  const attachments: InlineAttachment[] = [];
  for (const attachment of snapshot.consultation.attachments) {
    attachments.push(isAttachmentReference(attachment) ? await readOne(store, attachment) : attachment);
  }
  return { ...snapshot, consultation: { ...snapshot.consultation, attachments } };
}

async function readOne(
  store: AttachmentStore | undefined,
  reference: AttachmentReference,
): Promise<InlineAttachment> {
  const { sha256, sizeBytes: _sizeBytes, ...described } = reference;
  if (!store) {
    throw new AttachmentIntegrityError(
      `attachment ${reference.id} is stored in the archive (sha256 ${sha256}), but this worker has no archive database`,
    );
  }
  const stored = await store.readAttachment(sha256);
  if (!stored)
    throw new AttachmentIntegrityError(
      `attachment ${reference.id}: the archive holds no content with sha256 ${sha256}`,
    );
  const actual = crypto.createHash('sha256').update(stored.content).digest('hex');
  if (actual !== sha256 || stored.content.byteLength !== reference.sizeBytes) {
    throw new AttachmentIntegrityError(
      `attachment ${reference.id}: the archived content (sha256 ${actual}, ${stored.content.byteLength} bytes) ` +
        `does not match its reference (sha256 ${sha256}, ${reference.sizeBytes} bytes)`,
    );
  }
  return { ...described, data: stored.content.toString('base64') };
}
