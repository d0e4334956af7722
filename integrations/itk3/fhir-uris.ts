/**
 * Profile URLs, identifier systems and fixed codes of the ITK3 Send Document message (domain-reference §4–5).
 * Pure constants: workflow code may import them.
 */
export const FHIR_NAMESPACE = 'http://hl7.org/fhir';
export const XHTML_NAMESPACE = 'http://www.w3.org/1999/xhtml';

export const PROFILE = {
  messageBundle: 'https://fhir.nhs.uk/STU3/StructureDefinition/ITK-Message-Bundle-1',
  messageHeader: 'https://fhir.nhs.uk/STU3/StructureDefinition/ITK-MessageHeader-2',
  headerOrganization: 'https://fhir.nhs.uk/STU3/StructureDefinition/CareConnect-ITK-Header-Organization-1',
  documentBundle: 'https://fhir.nhs.uk/STU3/StructureDefinition/ITK-Document-Bundle-1',
  composition: 'https://fhir.hl7.org.uk/STU3/StructureDefinition/CareConnect-Composition-1',
  attachmentBinary: 'https://fhir.nhs.uk/STU3/StructureDefinition/ITK-Attachment-Binary-1',
  practitioner: 'https://fhir.hl7.org.uk/STU3/StructureDefinition/CareConnect-Practitioner-1',
  organization: 'https://fhir.hl7.org.uk/STU3/StructureDefinition/CareConnect-Organization-1',
  patient: 'https://fhir.hl7.org.uk/STU3/StructureDefinition/CareConnect-Patient-1',
  responseOperationOutcome: 'https://fhir.nhs.uk/STU3/StructureDefinition/ITK-Response-OperationOutcome-1',
} as const;

export const EXTENSION = {
  messageHandling: 'https://fhir.nhs.uk/STU3/StructureDefinition/Extension-ITK-MessageHandling-2',
  nhsNumberVerificationStatus:
    'https://fhir.hl7.org.uk/STU3/StructureDefinition/Extension-CareConnect-NHSNumberVerificationStatus-1',
} as const;

export const SYSTEM = {
  rfc4122: 'https://tools.ietf.org/html/rfc4122',
  nhsNumber: 'https://fhir.nhs.uk/Id/nhs-number',
  odsOrganizationCode: 'https://fhir.nhs.uk/Id/ods-organization-code',
  sdsUserId: 'https://fhir.nhs.uk/Id/sds-user-id',
  snomed: 'http://snomed.info/sct',
  messageEvent: 'https://fhir.nhs.uk/STU3/CodeSystem/ITK-MessageEvent-2',
  recipientType: 'https://fhir.nhs.uk/STU3/CodeSystem/ITK-RecipientType-1',
  responseCodes: 'https://fhir.nhs.uk/STU3/CodeSystem/ITK-ResponseCodes-1',
  nhsNumberVerificationStatus:
    'https://fhir.hl7.org.uk/STU3/CodeSystem/CareConnect-NHSNumberVerificationStatus-1',
} as const;

export const MESSAGE_DEFINITION = {
  /** Without "-Instance-": the URL of the published MessageDefinition (domain-reference §9.3). */
  sendDocument: 'https://fhir.nhs.uk/STU3/MessageDefinition/ITK-GPConnectSendDocument-MessageDefinition-1',
  /** The allowedResponse of the Send Document MessageDefinition. */
  response: 'https://fhir.nhs.uk/STU3/MessageDefinition/ITK-Response-MessageDefinition-1',
} as const;

export const EVENT = {
  sendDocument: { system: SYSTEM.messageEvent, code: 'ITK007C', display: 'ITK GP Connect Send Document' },
  response: { system: SYSTEM.messageEvent, code: 'ITK008M', display: 'ITK Response' },
} as const;

export const RECIPIENT_TYPE = {
  forAction: { system: SYSTEM.recipientType, code: 'FA', display: 'For Action' },
  forInformation: { system: SYSTEM.recipientType, code: 'FI', display: 'For Information' },
} as const;

/** LocalExtension value of the v1.3+ consultation report (GPCM-SD-044). */
export const LOCAL_EXTENSION_CONSULTATION_REPORT = 'SendDocument-ConsultationReport';
/** ITK3's value for "no local extension" (explore_sender_reqs FHIR-SR-06). */
export const LOCAL_EXTENSION_NONE = 'None';

export const DOCUMENT_TYPE_CONSULTATION_REPORT = {
  system: SYSTEM.snomed,
  code: '371531000',
  display: 'Report of clinical encounter',
} as const;

export const NHS_NUMBER_VERIFIED = {
  system: SYSTEM.nhsNumberVerificationStatus,
  code: '01',
  display: 'Number present and verified',
} as const;

/** What a responder puts in response.identifier when it could not read the original (ITK3 10009). */
export const UNREADABLE_ORIGINAL_IDENTIFIER = 'UNREADABLE-IN-ORIGINAL-MESSAGE';
