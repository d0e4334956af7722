/**
 * A PDS lookup as the receiver's business answer sees it (domain/business-answer.ts): no record, an invalidated or
 * invalid number all mean the patient is not known; a record gives its current and former practices and any death.
 */
import type { PatientRegistrationFacts } from '../../domain/business-answer';
import type { PdsLookupOutcome } from './lookup';

export function registrationFactsOf(outcome: PdsLookupOutcome): PatientRegistrationFacts {
  if (outcome.status !== 'found') return { found: false };
  const { registeredPracticeOds, formerPracticeOds, deceasedAt } = outcome.patient;
  return { found: true, registeredPracticeOds, formerPracticeOds, deceasedAt };
}
