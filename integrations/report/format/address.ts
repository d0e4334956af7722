import type { Address } from '../../../domain/snapshot';

/** An address as the lines the report prints, one element per line, postcode last. */
export function addressLines(address: Address): string[] {
  const lines = [
    ...address.lines,
    address.city,
    address.district,
    address.postalCode && formatPostcode(address.postalCode),
  ];
  return lines.filter((line): line is string => line !== undefined);
}

/** `ex11aa` and `EX1 1AA` both print as `EX1 1AA`: the inward code is always the last three characters. */
export function formatPostcode(postcode: string): string {
  const compact = postcode.replace(/\s+/g, '').toUpperCase();
  return `${compact.slice(0, -3)} ${compact.slice(-3)}`;
}
