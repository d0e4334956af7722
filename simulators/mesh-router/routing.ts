/**
 * What MESH does with a GPPROVIDER send (domain-reference §2.8–2.9): trace the NHS number in PDS, verify date of
 * birth and surname, take the registered practice's ODS code, look up its mailbox for the workflow. The outcome is
 * a mailbox, or the EPL code of the REPORT the sender gets instead.
 */
import { isValidNhsNumber } from '../../domain/nhs-number';
import type { MexToDobFormat } from '../../integrations/itk3/mesh-metadata';
import { dateOfBirthMatches, surnameMatches } from './demographics';
import type { EndpointDirectory } from './endpoint-directory';
import { parseGpProviderAddress, type GpProviderAddress } from './gp-provider-address';
import type { PdsTrace, PdsTracer } from './pds-trace';

/** MESH's endpoint-lookup error codes and descriptions (§2.8). */
export const ROUTING_FAILURES = {
  tooManyMailboxes: { code: 'EPL-150', description: 'ERROR_TOO_MANY_MAILBOX_MATCHES' },
  noMailbox: { code: 'EPL-151', description: 'ERROR_NO_MAILBOX_MATCHES' },
  invalidNhsNumber: { code: 'EPL-152', description: 'ERROR_INVALID_NHSNUMBER' },
  nhsNumberNotFound: { code: 'EPL-153', description: 'ERROR_NHSNUMBER_NOT_FOUND' },
  noDemographicsMatch: { code: 'EPL-154', description: 'ERROR_NO_DEMOGRAPHICS_MATCH' },
} as const;

export type RoutingFailure = (typeof ROUTING_FAILURES)[keyof typeof ROUTING_FAILURES];

export type RoutingDecision =
  { kind: 'deliver'; mailboxId: string } | { kind: 'fail'; failure: RoutingFailure };

export interface RoutingDependencies {
  trace: PdsTracer;
  directory: EndpointDirectory;
  dobFormat: MexToDobFormat;
}

/** Throws only when PDS cannot answer (a PdsError): MESH would try again later, so nothing is decided. */
export async function routeGpProviderSend(
  mexTo: string,
  workflowId: string,
  deps: RoutingDependencies,
): Promise<RoutingDecision> {
  const address = parseGpProviderAddress(mexTo);
  if (!isValidNhsNumber(address.nhsNumber)) return fail('invalidNhsNumber');
  const trace = await deps.trace(address.nhsNumber);
  if (trace.status === 'invalid-nhs-number') return fail('invalidNhsNumber');
  if (trace.status === 'not-found') return fail('nhsNumberNotFound');
  if (!demographicsMatch(address, trace, deps.dobFormat)) return fail('noDemographicsMatch');
  const mailboxes = trace.registeredPracticeOds
    ? deps.directory.lookup(trace.registeredPracticeOds, workflowId)
    : [];
  if (mailboxes.length > 1) return fail('tooManyMailboxes');
  const [mailbox] = mailboxes;
  return mailbox ? { kind: 'deliver', mailboxId: mailbox.mailboxId } : fail('noMailbox');
}

function demographicsMatch(
  address: GpProviderAddress,
  trace: Extract<PdsTrace, { status: 'found' }>,
  dobFormat: MexToDobFormat,
): boolean {
  return (
    trace.birthDate !== undefined &&
    dateOfBirthMatches(address.dateOfBirth, trace.birthDate, dobFormat) &&
    trace.familyNames.some((family) => surnameMatches(address.surname, family, address.atLengthLimit))
  );
}

function fail(failure: keyof typeof ROUTING_FAILURES): RoutingDecision {
  return { kind: 'fail', failure: ROUTING_FAILURES[failure] };
}
