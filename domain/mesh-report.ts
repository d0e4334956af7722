/**
 * MESH REPORT status codes (asynchronous error reports, ../shared/docs/domain-reference.md §2.8–2.9) sorted into
 * the classes an operator acts on differently. One table: the inbox classifies, the encounter records the class and
 * says it in its state detail and alert.
 */
export type MeshReportClass = 'expired' | 'routing-failure' | 'undelivered' | 'other';

const CLASS_BY_CODE: Readonly<Record<string, MeshReportClass>> = {
  // Not downloaded and acknowledged within 5 days: MESH removed it from the recipient's inbox.
  '14': 'expired',
  // GPPROVIDER endpoint lookup: too many or no mailboxes, invalid or unknown NHS number, demographics mismatch.
  'EPL-150': 'routing-failure',
  'EPL-151': 'routing-failure',
  'EPL-152': 'routing-failure',
  'EPL-153': 'routing-failure',
  'EPL-154': 'routing-failure',
  // The recipient cannot take it: unregistered to-address, sender not allowed this type, workflow not registered.
  '12': 'undelivered',
  '16': 'undelivered',
  '17': 'undelivered',
};

/** What an operator reads for each class. */
export const MESH_REPORT_CLASS_TEXT: Readonly<Record<MeshReportClass, string>> = {
  expired: 'expired: the registered practice did not collect it within 5 days',
  'routing-failure': 'routing failure: MESH could not resolve the GPPROVIDER address to a mailbox',
  undelivered: 'undelivered: the recipient mailbox cannot receive this message',
  other: 'other MESH error',
};

/** The class of a REPORT's `mex-statuscode`, compared without case or surrounding space. */
export function classifyMeshReport(statusCode: string): MeshReportClass {
  return CLASS_BY_CODE[statusCode.trim().toUpperCase()] ?? 'other';
}
