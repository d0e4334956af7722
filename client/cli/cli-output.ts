/** What the CLI's commands print, through commander's output settings (tests capture them). */
import type { Command } from 'commander';

export function write(command: Command, text: string): void {
  command.configureOutput().writeOut?.(text);
}

/**
 * A list the command fetched one longer than `limit` (to learn whether the limit cut it): the table of at most
 * `limit` items, then a line saying how many were shown and whether more match.
 */
export function writeLimitedList<T>(
  command: Command,
  list: { found: T[]; limit: number; table: (items: T[]) => string; none: string; noun: string; nouns: string },
): void {
  if (list.found.length === 0) {
    write(command, `${list.none}\n`);
    return;
  }
  const shown = list.found.slice(0, list.limit);
  write(command, list.table(shown));
  write(
    command,
    list.found.length > list.limit
      ? `${shown.length} ${list.nouns} shown; more match (raise --limit)\n`
      : `${shown.length} ${list.noun}\n`,
  );
}
