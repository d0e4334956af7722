/** NHS number display format of the GP Connect PDF layout: `### ### ####`. */
export function formatNhsNumber(nhsNumber: string): string {
  if (!/^\d{10}$/.test(nhsNumber)) throw new RangeError('expected a normalised 10-digit NHS number');
  return `${nhsNumber.slice(0, 3)} ${nhsNumber.slice(3, 6)} ${nhsNumber.slice(6)}`;
}
