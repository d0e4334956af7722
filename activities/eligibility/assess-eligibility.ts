/**
 * The eligibility check as the encounter workflow needs it: screen on the snapshot and settings, look the patient
 * up in PDS only when the screen cannot decide, then apply the pure decision (domain/eligibility.ts).
 */
import { createHash } from 'node:crypto';
import type { PdsClient } from '../../integrations/pds/client';
import type { PdsPatient } from '../../integrations/pds/patient';
import { reportRelevantContent, type ReportAddressing } from '../../domain/report-relevance';
import { lookupPatient, type PdsLookupOutcome } from '../../integrations/pds/lookup';
import type { FederationSettingsStore } from '../../integrations/federation/store';
import { practiceSettings } from '../../integrations/federation/settings';
import {
  decideBeforeLookup,
  decideEligibility,
  explainDecision,
  type EligibilityDecision,
  type EligibilityFacts,
} from '../../domain/eligibility';
import type { ConsultationSnapshot } from '../../domain/snapshot';
import type { EligibilityVerdict, EncounterActivities, SpineMismatch } from '../../workflows/encounter-activities';
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
      const { decision, patient } = await decide(deps.pds, snapshot, facts, requestId);
      const reason = explainDecision(decision);
      if (decision.outcome !== 'required') return { verdict: decision.outcome, reason };
      const addressing: ReportAddressing = {
        registeredPracticeOds: decision.registeredPracticeOds,
        currentNhsNumber: patient?.superseded ? patient.nhsNumber : undefined,
        addressDemographics: patient && spineDemographics(patient),
      };
      return {
        verdict: 'required',
        reason,
        ...addressing,
        registeredPracticeName: all.practices[decision.registeredPracticeOds]?.name,
        spineMismatch: patient && spineMismatch(snapshot, patient, hosting?.reportOptions.spineMismatchAlert ?? false),
        contentDigest: createHash('sha256').update(reportRelevantContent(snapshot, addressing)).digest('hex'),
      };
    },
  };
}

/** The decision, and the PDS record it read (none when the screen decided without asking PDS). */
async function decide(
  pds: PdsClient,
  snapshot: ConsultationSnapshot,
  facts: EligibilityFacts,
  requestId: string,
): Promise<{ decision: EligibilityDecision; patient?: PdsPatient }> {
  const screened = decideBeforeLookup(facts);
  if (screened) return { decision: screened };
  const outcome = await lookUp(pds, snapshot, requestId);
  return { decision: decideEligibility({ ...facts, pds: outcome }), patient: outcome.status === 'found' ? outcome.patient : undefined };
}

/** The name and birth date MESH's trace will check the GPPROVIDER address against, when PDS gave both. */
function spineDemographics(patient: PdsPatient): ReportAddressing['addressDemographics'] {
  return patient.familyName && patient.birthDate ? { familyName: patient.familyName, birthDate: patient.birthDate } : undefined;
}

/** Where the clinical record and the spine disagree (case and surrounding space aside); never the values. */
function spineMismatch(snapshot: ConsultationSnapshot, patient: PdsPatient, alert: boolean): SpineMismatch | undefined {
  const same = (a: string, b: string | null): boolean => b === null || a.trim().toLowerCase() === b.trim().toLowerCase();
  const fields: SpineMismatch['fields'] = [];
  if (!same(snapshot.patient.name.family, patient.familyName)) fields.push('family name');
  if (!same(snapshot.patient.birthDate, patient.birthDate)) fields.push('birth date');
  return fields.length > 0 ? { fields, alert } : undefined;
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
