/**
 * @deprecated Per-patient `GPPROVIDER_…` mailboxes were a workaround for mesh-sandbox's lack of routing: it looks
 * mex-to up literally as a mailbox id. The MESH router (simulators/mesh-router, docs/mesh-router.md) now resolves those
 * addresses to the registered practices' mailboxes, which is where the simulator reads. Kept only until the last
 * callers (benchmarks and two integration tests) move to the router; do not use it in new code.
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
