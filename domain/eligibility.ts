/**
 * Is a consultation report required, and to which practice (GPCM-SD-083/084/085)? Pure and deterministic: the
 * eligibility activity applies it after the quiet period, the CLI applies it for operators. The table and its
 * reasoning are in docs/eligibility.md; keep the two in step.
 */
import type { RegistrationType } from './snapshot';

/** Restricted (R) or very restricted (V) record: PDS withholds the GP, so rule 085 cannot be checked. */
export type RestrictedPatientsOption = 'block' | 'skip';
/** PDS records a death on or after the consultation day. */
export type DeceasedPatientsOption = 'send' | 'block' | 'skip';
/** PDS answered with a newer record than the NHS number the clinical system holds. */
export type SupersededNhsNumberOption = 'use-current-number' | 'block';

/** Per federation, overridable per practice; the hosting practice's effective options apply. */
export interface ReportOptions {
  restrictedPatients: RestrictedPatientsOption;
  deceasedPatients: DeceasedPatientsOption;
  supersededNhsNumbers: SupersededNhsNumberOption;
  /** Alert an operator when the record's family name or birth date differs from the spine's (the report still goes). */
  spineMismatchAlert: boolean;
}

export const DEFAULT_REPORT_OPTIONS: ReportOptions = {
  restrictedPatients: 'block',
  deceasedPatients: 'send',
  supersededNhsNumbers: 'block',
  spineMismatchAlert: false,
};

/** What the decision needs of the hosting practice's settings (activities/federation provides them). */
export interface HostingPracticeSettings {
  federation: { name: string; memberOdsCodes: readonly string[] };
  reportOptions: ReportOptions;
}

export interface EligibilityFacts {
  /** Registration type at the hosting practice (snapshot `patient.registrationType`). */
  registrationType: RegistrationType;
  hostingOds: string;
  /** Snapshot `consultation.startedAt`; compared with a recorded death by calendar date. */
  consultationStartedAt: string;
  /** null when the hosting practice is in no federation of the settings file. */
  hostingPractice: HostingPracticeSettings | null;
}

/** What the decision reads of the patient's PDS record (integrations/pds provides a superset). */
export interface SpinePatient {
  superseded: boolean;
  /** U unrestricted, R restricted, V very restricted. */
  securityLabel: 'U' | 'R' | 'V';
  /** ODS code of the current registered practice; null when none is current or PDS withheld it. */
  registeredPracticeOds: string | null;
  deceasedAt: string | null;
}

/** The answers of a PDS lookup that decide a report. */
export type SpineLookup =
  | { status: 'found'; patient: SpinePatient }
  | { status: 'invalid-nhs-number' }
  | { status: 'not-found' }
  | { status: 'invalidated' };

export interface EligibilityInput extends EligibilityFacts {
  pds: SpineLookup;
}

export type EligibilityDecision =
  | {
      outcome: 'required';
      reason: 'registered-practice-in-federation';
      registeredPracticeOds: string;
      federationName: string;
      /** The report must carry the current NHS number from the PDS lookup, not the snapshot's. */
      nhsNumberSuperseded: boolean;
      /** PDS records a death on or after the consultation day (and the options say send). */
      patientDeceased: boolean;
    }
  | { outcome: 'not-required'; reason: 'regular-registration' }
  | {
      outcome: 'not-required';
      reason: 'registered-at-hosting-practice' | 'outside-federation';
      registeredPracticeOds: string;
    }
  | { outcome: 'not-required'; reason: 'no-registered-practice' | 'deceased' }
  | { outcome: 'not-required'; reason: 'restricted-record'; securityLabel: 'R' | 'V' }
  | {
      outcome: 'blocked';
      reason:
        | 'hosting-practice-not-configured'
        | 'invalid-nhs-number'
        | 'patient-not-found'
        | 'patient-invalidated'
        | 'nhs-number-superseded'
        | 'died-before-consultation'
        | 'deceased';
    }
  | { outcome: 'blocked'; reason: 'restricted-record'; securityLabel: 'R' | 'V' };

/**
 * The decision that needs no PDS lookup (regular registration, unconfigured hosting practice), or null when the
 * lookup is needed. Lets the workflow skip PDS entirely for regular registrations.
 */
export function decideBeforeLookup(facts: EligibilityFacts): EligibilityDecision | null {
  const screened = screen(facts);
  return 'outcome' in screened ? screened : null;
}

/** The decision that needs no PDS, or the hosting practice's settings to decide with. */
function screen(facts: EligibilityFacts): EligibilityDecision | HostingPracticeSettings {
  if (facts.registrationType === 'R') return { outcome: 'not-required', reason: 'regular-registration' };
  return facts.hostingPractice ?? { outcome: 'blocked', reason: 'hosting-practice-not-configured' };
}

export function decideEligibility(input: EligibilityInput): EligibilityDecision {
  const hosting = screen(input);
  if ('outcome' in hosting) return hosting;
  const options = hosting.reportOptions;
  const pds = input.pds;
  switch (pds.status) {
    case 'invalid-nhs-number':
      return { outcome: 'blocked', reason: 'invalid-nhs-number' };
    case 'not-found':
      return { outcome: 'blocked', reason: 'patient-not-found' };
    case 'invalidated':
      return { outcome: 'blocked', reason: 'patient-invalidated' };
  }
  const patient = pds.patient;
  if (patient.superseded && options.supersededNhsNumbers === 'block')
    return { outcome: 'blocked', reason: 'nhs-number-superseded' };
  if (patient.securityLabel !== 'U') {
    const outcome = options.restrictedPatients === 'block' ? 'blocked' : 'not-required';
    return { outcome, reason: 'restricted-record', securityLabel: patient.securityLabel };
  }
  if (patient.deceasedAt !== null) {
    // A death recorded before the consultation day means PDS and the clinical system disagree about who was seen.
    if (patient.deceasedAt.slice(0, 10) < input.consultationStartedAt.slice(0, 10))
      return { outcome: 'blocked', reason: 'died-before-consultation' };
    if (options.deceasedPatients === 'block') return { outcome: 'blocked', reason: 'deceased' };
    if (options.deceasedPatients === 'skip') return { outcome: 'not-required', reason: 'deceased' };
  }
  const registered = patient.registeredPracticeOds;
  if (registered === null) return { outcome: 'not-required', reason: 'no-registered-practice' };
  if (registered === input.hostingOds)
    return {
      outcome: 'not-required',
      reason: 'registered-at-hosting-practice',
      registeredPracticeOds: registered,
    };
  if (!hosting.federation.memberOdsCodes.includes(registered)) {
    return { outcome: 'not-required', reason: 'outside-federation', registeredPracticeOds: registered };
  }
  return {
    outcome: 'required',
    reason: 'registered-practice-in-federation',
    registeredPracticeOds: registered,
    federationName: hosting.federation.name,
    nhsNumberSuperseded: patient.superseded,
    patientDeceased: patient.deceasedAt !== null,
  };
}

/** Every outcome/reason pair the union allows, e.g. `blocked/restricted-record`. */
export type DecisionKey<D = EligibilityDecision> = D extends {
  outcome: infer O extends string;
  reason: infer R extends string;
}
  ? `${O}/${R}`
  : never;

/** Operator wording for each pair; typed as a complete record, so a new reason cannot go unexplained. */
const EXPLANATIONS: Record<DecisionKey, string> = {
  'required/registered-practice-in-federation':
    'report required: the patient is registered at another practice of the same federation (GPCM-SD-085)',
  'not-required/regular-registration':
    'no report: the patient is a regular (GMS/PMS) registration at the hosting practice (GPCM-SD-083)',
  'not-required/registered-at-hosting-practice':
    'no report: the patient is registered at the hosting practice itself',
  'not-required/outside-federation':
    "no report: the patient's registered practice is not in the hosting practice's federation (GPCM-SD-085)",
  'not-required/no-registered-practice':
    'no report: PDS shows no current registered practice for the patient',
  'not-required/restricted-record':
    "no report: the patient's PDS record is restricted and the report options say skip",
  'not-required/deceased': 'no report: PDS records the patient as deceased and the report options say skip',
  'blocked/hosting-practice-not-configured':
    'blocked: the hosting practice is in no federation of the settings file',
  'blocked/invalid-nhs-number': "blocked: PDS says the patient's NHS number is not valid",
  'blocked/patient-not-found': 'blocked: PDS has no record for the patient',
  'blocked/patient-invalidated': "blocked: the patient's PDS record has been invalidated",
  'blocked/nhs-number-superseded':
    "blocked: the patient's NHS number has been superseded; the clinical record needs the current one",
  'blocked/died-before-consultation':
    'blocked: PDS records a death before the consultation date; check the patient identity',
  'blocked/deceased': 'blocked: PDS records the patient as deceased and the report options say block',
  'blocked/restricted-record':
    "blocked: the patient's PDS record is restricted, so the registered practice is withheld",
};

/** One sentence for operators and alerts; never contains patient data. */
export function explainDecision(decision: EligibilityDecision): string {
  return EXPLANATIONS[`${decision.outcome}/${decision.reason}` as DecisionKey];
}
