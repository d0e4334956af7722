/**
 * The router's demographics check: does a GPPROVIDER address's date of birth and surname match the PDS record?
 * MESH verifies both in its PDS trace but does not publish how it compares surnames (domain-reference §2.9), so this
 * is the rule docs/mesh-router.md states:
 * - date of birth: exactly 8 digits, equal to the record's in the configured order (YYYYMMDD, as MESH documents);
 * - surname: equal to the record's family name ignoring case, accents and other diacritics (é = e, ß = ss, Ø = O),
 *   spaces and punctuation (hyphens, apostrophes, full stops); it must hold at least one letter. When the address
 *   used all 100 characters of mex-to, a surname that is the start of the record's also matches (the sender cut it).
 */
import type { MexToDobFormat } from '../../integrations/itk3/mesh-metadata';

/** Base letters only (no case or accents), punctuation and white space ignored: ICU's collation, not a home-made fold. */
const surnameCollator = new Intl.Collator('en-GB', {
  sensitivity: 'base',
  ignorePunctuation: true,
  usage: 'search',
});

/** Letters the collator tells apart from the ASCII spelling senders fold them to (integrations/itk3/mesh-metadata.ts). */
const ASCII_SPELLING: Readonly<Record<string, string>> = { Þ: 'TH', þ: 'th', ı: 'i' };

const spelledAsAscii = (text: string): string => text.replace(/[Þþı]/g, (ch) => ASCII_SPELLING[ch] ?? ch);

export function surnameMatches(sent: string, recorded: string, sentMayBeCut: boolean): boolean {
  if (!/\p{L}/u.test(sent)) return false;
  const same = (candidate: string) =>
    surnameCollator.compare(spelledAsAscii(sent), spelledAsAscii(candidate)) === 0;
  if (same(recorded)) return true;
  if (!sentMayBeCut) return false;
  const letters = [...recorded];
  return letters.some((_, index) => same(letters.slice(0, index + 1).join('')));
}

/** `birthDate` is the record's FHIR date (`YYYY-MM-DD`). */
export function dateOfBirthMatches(sent: string, birthDate: string, format: MexToDobFormat): boolean {
  const [year = '', month = '', day = ''] = birthDate.split('-');
  const expected = format === 'YYYYMMDD' ? `${year}${month}${day}` : `${day}${month}${year}`;
  return /^\d{8}$/.test(sent) && sent === expected;
}
