/**
 * An attachment stored again moves its `created_at` on (the retention purge goes by that date, and must not take
 * content a recent save still names); its content, type, size and key stay immutable.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create or replace function attachments_are_immutable() returns trigger language plpgsql as $$
    begin
      if (new.sha256, new.media_type, new.size_bytes, new.key_id, new.sealed_content)
         is not distinct from (old.sha256, old.media_type, old.size_bytes, old.key_id, old.sealed_content) then
        return new;
      end if;
      raise exception 'attachments are content-addressed and immutable';
    end $$`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    create or replace function attachments_are_immutable() returns trigger language plpgsql as $$
    begin
      raise exception 'attachments are content-addressed and immutable';
    end $$`.execute(db);
}
