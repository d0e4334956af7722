/**
 * The eligibility check as the encounter workflow needs it: screen on the snapshot and settings, look the patient
 * up in PDS only when the screen cannot decide, then apply the pure decision (domain/eligibility.ts).
 */
import type { PdsClient } from '../../integrations/pds/client';
import { lookupPatient, type PdsLookupOutcome } from '../../integrations/pds/lookup';
import type { FederationSettingsStore } from '../../integrations/federation/store';
import { practiceSettings } from '../../integrations/federation/settings';
import {
  decideBeforeLookup,
  decideEligibility,
  explainDecision,
  type EligibilityFacts,
} from '../../domain/eligibility';
import type { ConsultationSnapshot } from '../../domain/snapshot';
import type { EligibilityVerdict, EncounterActivities } from '../../workflows/encounter-activities';
import { toActivityFailure } from '../failures';

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
      let decision = decideBeforeLookup(facts);
      let currentNhsNumber: string | undefined;
      if (!decision) {
        const pds = await lookUp(deps.pds, snapshot, requestId);
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

/** The PDS answer for the snapshot's patient; PDS errors leave as the failures activities/failures.ts maps them to. */
async function lookUp(
  pds: PdsClient,
  snapshot: ConsultationSnapshot,
  requestId: string,
): Promise<PdsLookupOutcome> {
  try {
    // The workflow's request id: every retry of this lookup sends the same X-Request-ID (PDS de-duplicates on it).
    return await lookupPatient(pds, snapshot.patient.nhsNumber, {
      requestId,
      correlationId: snapshot.encounterId,
      endUserOds: snapshot.hostingPractice.odsCode,
    });
  } catch (error) {
    throw toActivityFailure(error);
  }
}
