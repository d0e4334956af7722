/**
 * NHS number rules (NHS Data Dictionary, Modulus 11). Pure: imported by workflows, activities and clients.
 */
const WEIGHTS = [10, 9, 8, 7, 6, 5, 4, 3, 2] as const;

/** Why a candidate NHS number is not valid, or null when it is. */
export function nhsNumberProblem(candidate: string): string | null {
  if (!/^\d{10}$/.test(candidate)) return 'must be exactly 10 digits';
  const sum = WEIGHTS.reduce((total, weight, i) => total + weight * Number(candidate.charAt(i)), 0);
  const check = 11 - (sum % 11);
  if (check === 10) return 'is not a valid NHS number (Modulus 11 check digit would be 10)';
  const expected = check === 11 ? 0 : check;
  if (Number(candidate.charAt(9)) !== expected)
    return 'is not a valid NHS number (Modulus 11 check digit does not match)';
  return null;
}

export function isValidNhsNumber(candidate: string): boolean {
  return nhsNumberProblem(candidate) === null;
}

/** Removes the spaces and hyphens people type ("943 476 5919"); anything else is left for validation to reject. */
export function normaliseNhsNumber(input: string): string {
  return input.replace(/[\s-]/g, '');
}
