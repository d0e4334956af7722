/**
 * Human-friendly durations in the settings file: `3h`, `90m`, `1h30m`, `45s`, `500ms`, `2d`. A bare number is
 * rejected: "3" could mean hours to one reader and seconds to another.
 */
import { z } from 'zod';

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const DURATION = /^(?:\d+(?:ms|s|m|h|d))+$/;
const PART = /(\d+)(ms|s|m|h|d)/g;

/** Milliseconds, or null when the text is not a duration. */
export function parseDuration(text: string): number | null {
  const compact = text.replace(/\s+/g, '');
  if (!DURATION.test(compact)) return null;
  let total = 0;
  for (const [, amount, unit] of compact.matchAll(PART))
    total += Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS];
  return total;
}

/** The largest units that divide evenly: 10_800_000 → "3h", 5_400_000 → "1h30m". */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  let rest = ms;
  let text = '';
  for (const unit of ['d', 'h', 'm', 's', 'ms'] as const) {
    const amount = Math.floor(rest / UNIT_MS[unit]);
    if (amount > 0) text += `${amount}${unit}`;
    rest -= amount * UNIT_MS[unit];
  }
  return text;
}

/** A duration setting between `min` and `max` (inclusive), parsed to milliseconds. */
export function durationSchema(bounds: { min: number; max: number }) {
  return z.string().transform((text, ctx) => {
    const ms = parseDuration(text);
    if (ms === null) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: 'must be a duration such as 3h, 90m, 1h30m or 45s',
      });
      return z.NEVER;
    }
    if (ms < bounds.min || ms > bounds.max) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: `must be between ${formatDuration(bounds.min)} and ${formatDuration(bounds.max)}`,
      });
      return z.NEVER;
    }
    return ms;
  });
}
