/**
 * ITK3 response codes (CodeSystem ITK-ResponseCodes-1 v1.5.0) with what they mean for a Send Document sender
 * (domain-reference §4.5). Positive for this use case: 20013 (infrastructure success), 30001 (patient known here)
 * and 30004 (patient known here, recently deceased). Every negative ITK3 code is fatal: ITK3 has no transient codes.
 * 30005–30025 belong to referral and registration use cases; a Send Document sender does not expect them, so they
 * count as not positive and reach an operator.
 */
export type ResponseKind = 'infrastructure' | 'business';

/** OperationOutcome.issue.code (STU3 issue-type) for each code, from the ITK3 mapping table. */
export type IssueType =
  | 'informational'
  | 'processing'
  | 'not-found'
  | 'security'
  | 'duplicate'
  | 'invalid'
  | 'too-long'
  | 'business-rule';

export interface ResponseCodeInfo {
  display: string;
  positive: boolean;
  issueType: IssueType;
}

const negative = (display: string, issueType: IssueType): ResponseCodeInfo => ({
  display,
  positive: false,
  issueType,
});
const positive = (display: string): ResponseCodeInfo => ({
  display,
  positive: true,
  issueType: 'informational',
});

/**
 * The ITK3 mapping table leaves the issue type of 20006, 20009 and 20015 blank; `invalid` (validation failures)
 * and `too-long` (message too large) are the STU3 issue types that say what happened.
 */
export const ITK3_RESPONSE_CODES: Readonly<Record<string, ResponseCodeInfo>> = {
  '10001': negative('Handling Specification Error', 'processing'),
  '10002': negative('Infrastructure Level Response Value - Processing Error', 'processing'),
  '10003': negative('Business Level Response Value - Processing Error', 'processing'),
  '10004': negative('Message Definition Value - Processing Error', 'processing'),
  '10005': negative('Message Definition Version Value - Processing Error', 'processing'),
  '10007': negative('Sender Reference Value - Processing Error', 'processing'),
  '10008': negative('Handling Specification Business Rule Error', 'processing'),
  '10009': negative('Unreadable message received', 'processing'),
  '10010': negative('Recipient Type - Processing Error', 'processing'),
  '20001': negative('Unrecognised Recipient Person', 'not-found'),
  '20002': negative('Unrecognised Recipient Organisation', 'not-found'),
  '20003': negative('Unrecognised Sender', 'not-found'),
  '20004': negative('Non-Approved file type received as an attachment', 'security'),
  '20005': negative('Unsupported file type received as an attachment', 'security'),
  '20006': negative('ITK header validation failure', 'invalid'),
  '20007': negative('Duplicate Message received', 'duplicate'),
  '20008': negative('Duplicate Document received', 'duplicate'),
  '20009': negative('Payload validation failure', 'invalid'),
  '20010': negative('Unrecognised Payload Recipient Organisation', 'not-found'),
  '20011': negative('Unrecognised Payload Recipient Person', 'not-found'),
  '20012': negative('Unauthorised Sender', 'security'),
  '20013': positive('Success'),
  '20014': negative('Unable to Process Replacement Document', 'processing'),
  '20015': negative('Message too large', 'too-long'),
  '30001': positive('Patient known here. (e.g. Patient is registered here)'),
  '30002': negative("Patient not known here. (aka 'patient record not present in system')", 'not-found'),
  '30003': negative('Patient no longer at this clinical setting', 'business-rule'),
  '30004': positive(
    'Patient known here and recently deceased (i.e. patient record current in GP practice system at time of patient’s death and deduction subsequently occurred for this reason)',
  ),
  '30005': negative('Referral open', 'business-rule'),
  '30006': negative('Referral completed', 'business-rule'),
  '30007': negative('Referral escalated back to GP', 'business-rule'),
  '30008': negative('Signposting to GP (non-urgent)', 'business-rule'),
  '30009': negative('Clinical escalation to UTC/111/GPOOH', 'business-rule'),
  '30010': negative('Clinical escalation to A&E or 999', 'business-rule'),
  '30011': negative('Advised to go elsewhere/self-referral', 'business-rule'),
  '30012': negative('Unable to contact the patient', 'business-rule'),
  '30013': negative('Closure (service not needed)', 'business-rule'),
  '30014': negative('Closure (service not accepted)', 'business-rule'),
  '30015': negative('Closure (duplicate referral)', 'business-rule'),
  '30016': negative('Referral accepted', 'business-rule'),
  '30017': negative('Referral rejected', 'business-rule'),
  '30018': negative('Did Not Attend', 'business-rule'),
  '30019': negative('GP Registration - Application accepted', 'business-rule'),
  '30020': negative('GP Registration - Application pending (contact practice)', 'business-rule'),
  '30021': negative('GP Registration - Application rejected (patient already registered)', 'business-rule'),
  '30022': negative('GP Registration - Application rejected (at capacity)', 'business-rule'),
  '30023': negative('GP Registration - Application rejected (out of boundary)', 'business-rule'),
  '30024': negative(
    'GP Registration - Application rejected (Previously removed from this practice)',
    'business-rule',
  ),
  '30025': negative(
    'GP Registration - Application rejected (Previously removed from another practice)',
    'business-rule',
  ),
};

/**
 * Infrastructure responses use 1xxxx and 2xxxx codes, business responses 3xxxx (ITK3 response patterns). Works for
 * codes outside the table too, so a response with a code this version does not know still reaches the right place.
 */
export function responseKindOf(code: string): ResponseKind | null {
  if (/^[12]\d{4}$/.test(code)) return 'infrastructure';
  if (/^3\d{4}$/.test(code)) return 'business';
  return null;
}
