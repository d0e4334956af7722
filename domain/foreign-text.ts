/**
 * Text written by other organisations (ITK3 display and diagnostics, MESH status descriptions, header values) before
 * it reaches alerts, logs, webhooks or workflow state: control and invisible formatting characters become spaces,
 * runs of space collapse, and the result is cut to a bounded length. Pure, so workflows may use it too.
 */

/** The longest foreign text fedreport passes on. */
export const FOREIGN_TEXT_MAX_LENGTH = 200;

/**
 * C0/C1 controls, DEL, line/paragraph separators, bidirectional overrides and isolates (they can make a log line read
 * differently from what it holds), zero-width characters, the BOM, non-characters and lone surrogates.
 */
const UNSAFE =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069\u200B-\u200F\u2060\uFEFF\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Safe, bounded text, or undefined when nothing readable is left. */
export function foreignText(
  value: string | undefined | null,
  maxLength = FOREIGN_TEXT_MAX_LENGTH,
): string | undefined {
  if (typeof value !== 'string') return undefined;
  const cleaned = value.replace(UNSAFE, ' ').replace(/\s+/g, ' ').trim();
  if (cleaned === '') return undefined;
  const codePoints = Array.from(cleaned);
  if (codePoints.length <= maxLength) return cleaned;
  return `${codePoints
    .slice(0, Math.max(0, maxLength - 1))
    .join('')
    .trimEnd()}…`;
}
