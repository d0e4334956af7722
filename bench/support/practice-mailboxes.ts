/**
 * Where the MESH router delivers a bench patient's report: the practice the PDS double registers the patient at, and
 * that practice's mailbox for fedreport's workflow in the example endpoint directory. The benches create nothing per
 * patient: the simulator polls these practice mailboxes. Errors never name the patient.
 */
import { parsePdsPatient } from '../../integrations/pds/patient';
import type { EndpointDirectory } from '../../simulators/mesh-router/endpoint-directory';
import { patientScenario } from '../../simulators/pds/patients';
import { exampleEndpointDirectory } from '../../tooling/example-federation';

/** The workflow fedreport sends reports on unless configured otherwise (integrations/itk3/mesh-metadata.ts). */
const REPORT_WORKFLOW = 'GPFED_CONSULT_REPORT';

/** The registered practices' mailboxes of these patients (PDS double built-ins), each once, in first-seen order. */
export function registeredPracticeMailboxes(nhsNumbers: readonly string[]): string[] {
  const directory = exampleEndpointDirectory();
  return [...new Set(nhsNumbers.map((nhsNumber) => practiceMailbox(nhsNumber, directory)))];
}

function practiceMailbox(nhsNumber: string, directory: EndpointDirectory): string {
  const scenario = patientScenario(nhsNumber);
  if (scenario?.kind !== 'record') throw new Error('a bench patient has no record in the PDS double');
  const ods = parsePdsPatient(scenario.resource, nhsNumber, new Date()).registeredPracticeOds;
  const mailboxes = ods ? directory.lookup(ods, REPORT_WORKFLOW) : [];
  if (mailboxes.length !== 1) {
    throw new Error(
      `a bench patient's practice (${ods ?? 'none'}) has ${mailboxes.length} mailboxes in the directory, not one`,
    );
  }
  return mailboxes[0]!.mailboxId;
}
