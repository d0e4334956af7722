/**
 * zod fields for settings read from environment variables (always strings), shared by every process's config so
 * the same mistake gets the same explanation everywhere. An empty variable counts as unset.
 */
import { z } from 'zod';

const blankToUndefined = (value: string): string | undefined => value.trim() || undefined;

export const optionalText = z.string().transform(blankToUndefined).optional();

export const booleanText = z
  .string()
  .trim()
  .refine((value) => ['true', 'false', '1', '0', ''].includes(value), 'must be true or false')
  .transform((value) => (value === '' ? undefined : value === 'true' || value === '1'))
  .optional();

/** A whole number within bounds, e.g. a port or a size in bytes. */
export const integerText = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .refine((value) => value >= min && value <= max, `must be between ${min} and ${max}`);

export const portText = integerText(0, 65_535);

/** A comma-separated list; blanks between commas are dropped. */
export const listText = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== ''),
  )
  .optional();

/** Secrets that authenticate callers: long enough that guessing is hopeless. */
export const tokenListText = listText.refine(
  (tokens) => tokens === undefined || tokens.every((token) => token.length >= 16),
  'each token must be at least 16 characters',
);

export const logLevelText = z
  .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  .default('info');
