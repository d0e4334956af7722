/**
 * ITK3 for GP Connect Send Document: the consultation report message (FHIR STU3, XML or JSON), its deterministic
 * identity and MESH metadata, and the reader of ITK3 acknowledgements (MESH error reports: ../mesh/report-parser).
 * See docs/itk3.md.
 */
export {
  messageIdentity,
  attachmentBinaryIds,
  responseIdentity,
  type MessageIdentity,
  type ResponseIdentity,
} from '../../domain/report-identity';
export { buildSendDocumentMessage, type SendDocumentInput } from './send-document-message';
export { buildItk3Response, type Itk3ResponseInput } from './response-builder';
export { parseItk3Response, type Itk3Response } from './response-parser';
export { readSendDocumentHeader, type SendDocumentHeader } from './send-document-reader';
export { readReportPdf } from './report-pdf-reader';
export {
  meshMetadataFor,
  gpProviderAddress,
  type MeshMetadataOptions,
  type MeshSendMetadata,
  type MexToDobFormat,
  type ConsultReportWorkflowId,
} from './mesh-metadata';
export {
  serialiseFhir,
  readFhir,
  FHIR_MEDIA_TYPE,
  MESSAGE_FORMATS,
  type MessageFormat,
} from './message-format';
export { ITK3_RESPONSE_CODES, responseKindOf, type ResponseKind } from './response-codes';
export { Itk3ParseError, FhirSerialisationError, type Itk3ParseReason } from './errors';
export { UNREADABLE_ORIGINAL_IDENTIFIER } from './fhir-uris';
