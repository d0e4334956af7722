/**
 * The business answer a receiving practice gives a filed Send Document message (domain-reference §4.4/§4.5), decided
 * from a PDS lookup of the document's patient against this practice:
 *
 * | what PDS says                                                              | code  |
 * |----------------------------------------------------------------------------|-------|
 * | registered here, and died less than six months ago                         | 30004 |
 * | registered here                                                            | 30001 |
 * | registered elsewhere (or nowhere), formerly registered here                | 30003 |
 * | registered elsewhere or nowhere, never here as far as PDS says; no record  | 30002 |
 *
 * PDS normally returns only the current registration, so 30003 needs a former registration PDS still shows; a
 * practice that cannot see one answers 30002, which a sender reads the same way (the record is not here).
 */
export const BUSINESS_CODES = {
  patientKnownHere: '30001',
  patientNotKnownHere: '30002',
  patientNoLongerHere: '30003',
  patientKnownHereRecentlyDeceased: '30004',
} as const;

export type BusinessCode = (typeof BUSINESS_CODES)[keyof typeof BUSINESS_CODES];

/** ITK-ResponseCodes-1 30004: "recently deceased" is within six months of the death. */
const RECENTLY_DECEASED_MONTHS = 6;

export type PatientRegistrationFacts =
  | { found: false }
  | {
      found: true;
      /** ODS code of today's registered practice; null when none is current or PDS withholds it. */
      registeredPracticeOds: string | null;
      /** Practices whose registration PDS shows as ended. */
      formerPracticeOds: readonly string[];
      /** PDS deceasedDateTime, when it records a death. */
      deceasedAt: string | null;
    };

export function businessAnswerFor(
  facts: PatientRegistrationFacts,
  practiceOds: string,
  now: Date,
): BusinessCode {
  if (!facts.found) return BUSINESS_CODES.patientNotKnownHere;
  const here = (ods: string): boolean => ods.toUpperCase() === practiceOds.toUpperCase();
  if (facts.registeredPracticeOds !== null && here(facts.registeredPracticeOds)) {
    return facts.deceasedAt !== null && diedRecently(facts.deceasedAt, now)
      ? BUSINESS_CODES.patientKnownHereRecentlyDeceased
      : BUSINESS_CODES.patientKnownHere;
  }
  return facts.formerPracticeOds.some(here)
    ? BUSINESS_CODES.patientNoLongerHere
    : BUSINESS_CODES.patientNotKnownHere;
}

function diedRecently(deceasedAt: string, now: Date): boolean {
  const limit = new Date(now);
  limit.setUTCMonth(limit.getUTCMonth() - RECENTLY_DECEASED_MONTHS);
  return new Date(deceasedAt).getTime() >= limit.getTime();
}

/** The business codes that place the patient at this practice. */
const PATIENT_HERE: readonly string[] = [
  BUSINESS_CODES.patientKnownHere,
  BUSINESS_CODES.patientKnownHereRecentlyDeceased,
];

/** Sent with a document refused on receipt: names the reason, never the patient. */
export const NOT_REGISTERED_HERE = 'the patient is not registered at this practice according to PDS';

/**
 * "Acknowledge on receipt" files a document without a person looking at it, so only one whose patient PDS places here
 * (`code` from businessAnswerFor); any other is refused with its negative code and lands in no patient's record.
 */
export function filingOnReceipt(
  code: string,
): { outcome: 'filed' } | { outcome: 'rejected'; code: string; reason: string } {
  return PATIENT_HERE.includes(code)
    ? { outcome: 'filed' }
    : { outcome: 'rejected', code, reason: NOT_REGISTERED_HERE };
}
