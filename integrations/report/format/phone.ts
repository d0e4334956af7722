/**
 * Telephone format of the GP Connect PDF layout: `Area Code <space> Local Number [x Extension]`, with a space before
 * the final four digits of a local number longer than six digits (`020 7946 0000`, `0113 496 0000`, `01632 960001`,
 * `07700 900123`, `0300 123 4567`).
 */

/** The few UK geographic codes with six digits; every other 01 code not listed below has five. */
const SIX_DIGIT_AREA_CODES = new Set([
  '013873',
  '015242',
  '015394',
  '015395',
  '015396',
  '016973',
  '016974',
  '016977',
  '017683',
  '017684',
  '017687',
  '019467',
  '019755',
  '019756',
]);

function areaCodeLength(national: string): number {
  if (national.startsWith('02')) return 3;
  if (/^01(1\d|\d1)/.test(national)) return 4;
  if (national.startsWith('01')) return SIX_DIGIT_AREA_CODES.has(national.slice(0, 6)) ? 6 : 5;
  if (national.startsWith('07')) return 5;
  return 4; // 03, 05, 08 and 09 non-geographic ranges: 0300, 0800, 0845 ...
}

function groupLocalNumber(local: string): string {
  return local.length > 6 ? `${local.slice(0, -4)} ${local.slice(-4)}` : local;
}

/**
 * Formats a UK number (national `0…` or international `+44…`); anything else (a foreign number, an unexpected
 * length) is printed as entered with its whitespace tidied, since guessing its grouping would mislead.
 */
export function formatPhoneNumber(entered: string): string {
  const [, number = '', extension] = /^(.*?)(?:\s*x\s*(\d+))?$/i.exec(entered.trim()) ?? [];
  const suffix = extension ? ` x ${extension}` : '';
  const digits = number.replace(/[\s()-]/g, '');
  const national = digits.startsWith('+44') ? `0${digits.slice(3).replace(/^0/, '')}` : digits;
  if (!/^0[1-9]\d{8,9}$/.test(national)) return `${number.replace(/\s+/g, ' ')}${suffix}`;
  const split = areaCodeLength(national);
  return `${national.slice(0, split)} ${groupLocalNumber(national.slice(split))}${suffix}`;
}
