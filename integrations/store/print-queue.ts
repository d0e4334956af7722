/**
 * The print fallback (issue 17): reports that ended undeliverable or rejected, or that an operator chose to post,
 * queue per hosting practice (the sender) until they are recorded as posted. A rejected or undeliverable version
 * that a later version of the same encounter replaced is not queued: the later one is what the practice needs.
 */
import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import { odsCodeSchema } from '../../domain/snapshot';
import { ValidationError, parseOrThrow } from '../../domain/validation-error';
import type { ArchiveDatabase, SentMessageState } from './archive-schema';
import type { ArchiveDb } from './database';

/** The table of migrations/0004-print-queue.ts; its rows go with their sent message. */
export interface PostalCopiesTable {
  local_id: string;
  requested_by: string | null;
  requested_at: Date | null;
  posted_by: string | null;
  posted_at: Date | null;
}
type PrintQueueDb = Kysely<ArchiveDatabase & { postal_copies: PostalCopiesTable }>;

/** States that end a report without delivery: the registered practice never got it, so it goes by post. */
export const UNDELIVERED_STATES = [
  'rejected',
  'undeliverable',
] as const satisfies readonly SentMessageState[];

/** Who acts: an operator name or ticket, kept for audit (bounded text, no patient data expected). */
const actorSchema = z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters');
const localIdSchema = z.string().uuid('must be a message local id (GUID)');
const postChoiceSchema = z
  .object({ localId: localIdSchema, requestedBy: actorSchema, at: z.date() })
  .strict();
const postedSchema = z
  .object({ localIds: z.array(localIdSchema), postedBy: actorSchema, at: z.date() })
  .strict();

/** One report waiting to be printed, with why it is queued. */
export interface QueuedReport {
  localId: string;
  encounterGuid: string;
  reportVersion: number;
  state: SentMessageState;
  reason: 'undelivered' | 'operator-chose-post';
  createdAt: Date;
}

export class PrintQueue {
  private readonly db: PrintQueueDb;

  constructor(db: ArchiveDb) {
    this.db = db.withTables<{ postal_copies: PostalCopiesTable }>();
  }

  /** An operator's choice to post this message; choosing again keeps the first choice. */
  async choosePost(input: { localId: string; requestedBy: string; at: Date }): Promise<void> {
    const choice = parseOrThrow(postChoiceSchema, input, 'post choice');
    const message = await this.db
      .selectFrom('sent_messages')
      .select('local_id')
      .where('local_id', '=', choice.localId)
      .executeTakeFirst();
    if (!message)
      throw new ValidationError('post choice', [
        { field: 'localId', reason: 'names no archived sent message' },
      ]);
    await this.db
      .insertInto('postal_copies')
      .values({ local_id: choice.localId, requested_by: choice.requestedBy, requested_at: choice.at })
      .onConflict((conflict) =>
        conflict
          .column('local_id')
          .doUpdateSet({ requested_by: choice.requestedBy, requested_at: choice.at })
          .where('postal_copies.requested_at', 'is', null),
      )
      .execute();
  }

  /** The hosting practice's reports not yet posted, oldest first. */
  async pending(practiceOds: string): Promise<QueuedReport[]> {
    const ods = parseOrThrow(odsCodeSchema, practiceOds, 'print queue practice');
    const rows = await this.db
      .selectFrom('sent_messages as m')
      .leftJoin('postal_copies as p', 'p.local_id', 'm.local_id')
      .select([
        'm.local_id',
        'm.encounter_guid',
        'm.report_version',
        'm.state',
        'm.created_at',
        'p.requested_at',
      ])
      .where('m.sender_ods', '=', ods)
      .where('p.posted_at', 'is', null)
      .where((eb) =>
        eb.or([
          eb('p.requested_at', 'is not', null),
          eb.and([
            eb('m.state', 'in', UNDELIVERED_STATES),
            eb.not(
              eb.exists(
                eb
                  .selectFrom('sent_messages as later')
                  .select(sql.lit(1).as('one'))
                  .whereRef('later.encounter_guid', '=', 'm.encounter_guid')
                  .whereRef('later.report_version', '>', 'm.report_version'),
              ),
            ),
          ]),
        ]),
      )
      .orderBy('m.created_at')
      .orderBy('m.local_id')
      .execute();
    return rows.map((row) => ({
      localId: row.local_id,
      encounterGuid: row.encounter_guid,
      reportVersion: row.report_version,
      state: row.state,
      reason: row.requested_at === null ? 'undelivered' : 'operator-chose-post',
      createdAt: row.created_at,
    }));
  }

  /** Records that these messages were posted; one already recorded keeps its first record. */
  async markPosted(input: { localIds: string[]; postedBy: string; at: Date }): Promise<void> {
    const posted = parseOrThrow(postedSchema, input, 'posted reports');
    if (posted.localIds.length === 0) return;
    await this.db
      .insertInto('postal_copies')
      .values(
        posted.localIds.map((localId) => ({
          local_id: localId,
          posted_by: posted.postedBy,
          posted_at: posted.at,
        })),
      )
      .onConflict((conflict) =>
        conflict
          .column('local_id')
          .doUpdateSet({ posted_by: posted.postedBy, posted_at: posted.at })
          .where('postal_copies.posted_at', 'is', null),
      )
      .execute();
  }
}
