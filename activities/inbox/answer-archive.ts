/**
 * The inbox's side of the archive: each answer it routes (ITK3 acks, MESH REPORTs) and each quarantined message that
 * names one of our sent messages is kept, linked to that message, once per answer's MESH message id. An answer to a
 * message the archive does not hold (sent before the archive existed, or not ours) is logged and not kept; a database
 * that cannot be reached fails the message, which the inbox tries again next poll like any other failure.
 */
import type { Logger } from 'pino';
import { ValidationError } from '../../domain/validation-error';
import type { ArchiveRepository } from '../../integrations/store/archive-repository';
import type { AnswerKind, SentMessageState } from '../../integrations/store/archive-schema';

/** Our local ids (MessageHeader ids) are UUIDs: anything else cannot name a message of ours. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CODE = /^[A-Za-z0-9._:-]{1,64}$/;

/** What an answer says about our message, as read from it (inbox-answers.ts). */
export interface AnswerLink {
  /** The local id of the sent message the answer is about, when it names one. */
  localId: string | undefined;
  kind: AnswerKind;
  code: string;
  /** The message's state after this answer, when the answer decides it. */
  messageState?: SentMessageState;
}

export interface ArchivedAnswerInput extends AnswerLink {
  /** The answer's own MESH message id: recording it again keeps one row. */
  meshMessageId: string;
  body: Buffer;
  at: Date;
}

export class AnswerArchive {
  constructor(
    private readonly archive: ArchiveRepository,
    private readonly logger: Logger,
  ) {}

  async record({ localId, code, ...answer }: ArchivedAnswerInput): Promise<void> {
    if (!localId || !UUID.test(localId)) return;
    try {
      // A code from outside is kept only when it has a code's shape: the column holds no free text.
      await this.archive.recordAnswer({ ...answer, localId, code: CODE.test(code) ? code : 'unrecognised' });
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      this.logger.info(
        { meshMessageId: answer.meshMessageId, kind: answer.kind, reason: error.message },
        'MESH answer not archived: it names no message the archive holds',
      );
    }
  }
}
