/** PDS error bodies: FHIR OperationOutcome with a Spine error code, shaped like the real API's. */

const SPINE_CODE_SYSTEM = 'https://fhir.nhs.uk/R4/CodeSystem/Spine-ErrorOrWarningCode';

/** The Spine codes the double answers with: FHIR issue code, severity and display text of each. */
const SPINE_CODES = {
  INVALID_RESOURCE_ID: { issueCode: 'value', severity: 'error', display: 'Resource Id is invalid' },
  RESOURCE_NOT_FOUND: { issueCode: 'not-found', severity: 'information', display: 'Resource not found' },
  INVALIDATED_RESOURCE: {
    issueCode: 'processing',
    severity: 'error',
    display: 'Resource that has been marked as invalid was requested - invalid resources cannot be retrieved',
  },
  MISSING_VALUE: { issueCode: 'required', severity: 'error', display: 'Required value is missing' },
  INVALID_VALUE: { issueCode: 'value', severity: 'error', display: 'Provided value is invalid' },
  ACCESS_DENIED: { issueCode: 'forbidden', severity: 'error', display: 'Access Denied - Unauthorised' },
  UNABLE_TO_CALL_SERVICE: {
    issueCode: 'timeout',
    severity: 'error',
    display: 'The downstream domain processing has not completed within the configured timeout period',
  },
  TOO_MANY_REQUESTS: {
    issueCode: 'throttled',
    severity: 'error',
    display: "You have exceeded your application's rate limit",
  },
} as const;

export type SpineCode = keyof typeof SPINE_CODES;

export function spineOutcome(code: SpineCode, diagnostics?: string): object {
  const { issueCode, severity, display } = SPINE_CODES[code];
  return {
    resourceType: 'OperationOutcome',
    issue: [
      {
        severity,
        code: issueCode,
        details: { coding: [{ system: SPINE_CODE_SYSTEM, version: '1', code, display }] },
        ...(diagnostics === undefined ? {} : { diagnostics }),
      },
    ],
  };
}

/** What a gateway or a crashed service answers: an outcome without a Spine code. */
export function plainOutcome(issueCode: string, diagnostics: string): object {
  return { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: issueCode, diagnostics }] };
}
