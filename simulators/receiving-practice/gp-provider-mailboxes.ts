/**
 * mesh-sandbox does not route `GPPROVIDER_<nhs>_<dob>_<surname>` addresses to a registered practice: it upper-cases
 * mex-to and looks it up as a mailbox id (domain-reference §3.1). Locally, each patient's address must therefore
 * exist as a mailbox (an upper-case directory in the sandbox's store) and the simulator polls it.
 */
import { gpProviderAddress, type MexToDobFormat } from '../../integrations/itk3/mesh-metadata';
import type { ConsultationSnapshot } from '../../domain/snapshot';

/** The mailbox ids (upper case, without repeats) a sender addresses for these patients, as mesh-sandbox names them. */
export function gpProviderMailboxesFor(
  snapshots: readonly Pick<ConsultationSnapshot, 'patient'>[],
  dobFormat: MexToDobFormat = 'YYYYMMDD',
): string[] {
  return [...new Set(snapshots.map((s) => gpProviderAddress(s.patient, dobFormat).toUpperCase()))];
}
