import type { HumanName } from '../../../domain/snapshot';

/**
 * Name format of the GP Connect PDF layout, used for every name in the report: `SURNAME, Forename(s) (Title)`.
 * The title and its brackets are left out when there is none.
 */
export function formatPersonName(name: HumanName): string {
  const surname = name.family.toLocaleUpperCase('en-GB');
  const title = name.title ? ` (${name.title})` : '';
  return `${surname}, ${name.given.join(' ')}${title}`;
}
