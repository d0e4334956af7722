/**
 * JSON with object keys sorted, so equal values give equal text whatever their property order: for digests of
 * content (report relevance, the PDF's file id). safe-stable-stringify (already pino's) does the sorting.
 */
import { configure } from 'safe-stable-stringify';

const stringify = configure({ deterministic: true, circularValue: TypeError });

export function canonicalJson(value: unknown): string {
  return stringify(value) ?? 'null';
}
