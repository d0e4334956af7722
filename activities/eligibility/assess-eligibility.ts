/**
 * The eligibility check as the encounter workflow needs it: screen on the snapshot and settings, look the patient
 * up in PDS only when the screen cannot decide, then apply the pure decision (workflows/eligibility.ts).
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { PdsClient } from '../../integrations/pds/client';
import { PdsError } from '../../integrations/pds/errors';
import { lookupPatient } from '../../integrations/pds/lookup';
import type { FederationSettingsStore } from '../../integrations/federation/store';
import { practiceSettings } from '../../integrations/federation/settings';
import { decideBeforeLookup, decideEligibility, explainDecision, type EligibilityFacts } from '../../domain/eligibility';
import type { EligibilityVerdict, EncounterActivities } from '../../workflows/encounter-activities';

export function createEligibilityActivities(deps: {
  pds: PdsClient;
  settings: FederationSettingsStore;
}): Pick<EncounterActivities, 'assessEligibility'> {
  return {
    async assessEligibility({ snapshot, requestId }): Promise<EligibilityVerdict> {
      const all = await deps.settings.current();
      const hosting = practiceSettings(all, snapshot.hostingPractice.odsCode);
      const facts: EligibilityFacts = {
        registrationType: snapshot.patient.registrationType,
        hostingOds: snapshot.hostingPractice.odsCode,
        consultationStartedAt: snapshot.consultation.startedAt,
        hostingPractice: hosting,
      };
      const screened = decideBeforeLookup(facts);
      let decision = screened;
      let currentNhsNumber: string | undefined;
      if (!decision) {
        let pds;
        try {
          pds = await lookupPatient(deps.pds, snapshot.patient.nhsNumber, {
            requestId,
            correlationId: snapshot.encounterId,
            endUserOds: snapshot.hostingPractice.odsCode,
          });
        } catch (error) {
          if (!(error instanceof PdsError)) throw error;
          throw ApplicationFailure.create({
            type: error.name,
            message: error.message,
            nonRetryable: !error.retryable,
            nextRetryDelay: error.retryAfterMs,
          });
        }
        decision = decideEligibility({ ...facts, pds });
        if (pds.status === 'found' && pds.patient.superseded) currentNhsNumber = pds.patient.nhsNumber;
      }
      const reason = explainDecision(decision);
      if (decision.outcome !== 'required') return { verdict: decision.outcome, reason };
      return {
        verdict: 'required',
        reason,
        registeredPracticeOds: decision.registeredPracticeOds,
        registeredPracticeName: all.practices[decision.registeredPracticeOds]?.name,
        currentNhsNumber,
      };
    },
  };
}
