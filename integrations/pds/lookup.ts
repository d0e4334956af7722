/**
 * A PDS lookup as eligibility sees it: the answers that decide a report (found, invalid number, not found,
 * invalidated) become values; everything else (timeouts, rate limits, access problems) stays a thrown PdsError.
 */
import type { PdsClient, PdsRequestOptions } from './client';
import { PdsInvalidNhsNumberError, PdsPatientInvalidatedError, PdsPatientNotFoundError } from './errors';
import type { PdsPatient } from './patient';

export type PdsLookupOutcome =
  | { status: 'found'; patient: PdsPatient }
  | { status: 'invalid-nhs-number' }
  | { status: 'not-found' }
  | { status: 'invalidated' };

export async function lookupPatient(
  client: PdsClient,
  nhsNumber: string,
  options: PdsRequestOptions,
): Promise<PdsLookupOutcome> {
  try {
    return { status: 'found', patient: await client.getPatient(nhsNumber, options) };
  } catch (error) {
    if (error instanceof PdsInvalidNhsNumberError) return { status: 'invalid-nhs-number' };
    if (error instanceof PdsPatientNotFoundError) return { status: 'not-found' };
    if (error instanceof PdsPatientInvalidatedError) return { status: 'invalidated' };
    throw error;
  }
}
