/**
 * The demographic address MESH routes to a patient's registered practice (domain-reference §2.9):
 * `GPPROVIDER_<NHS number>_<date of birth>_<surname>`, only for the workflows listed there.
 */

/** The workflows for which MESH resolves a GPPROVIDER address (MESH endpoint lookup guidance, §2.9). */
export const GPPROVIDER_WORKFLOWS: ReadonlySet<string> = new Set([
  'TOC_FHIR_IP_DISCH',
  'TOC_FHIR_MH_DISCH',
  'TOC_FHIR_EC_DISCH',
  'TOC_FHIR_OP_ATTEN',
  'TOC_OUTP_ATT_DMS',
  'GPFED_CONSULT_REPORT',
  'GPFED_CONSULT_REPORT_ACK',
  'GPCONNECT_UPDATE_RECORD',
  'GPCONNECT_UPDATE_RECORD_ACK',
  'GPCONNECT_SEND_DOCUMENT',
]);

/** `GPPROVIDER` must be upper case; anything else is an ordinary mailbox id. */
const PREFIX = 'GPPROVIDER_';

/** MESH's limit on mex-to: a longer surname was cut to fit (MAPI). */
export const MEX_TO_MAX_LENGTH = 100;

/** The parts as sent; nothing is checked here (the router decides which EPL code a bad part earns). */
export interface GpProviderAddress {
  nhsNumber: string;
  dateOfBirth: string;
  surname: string;
  /** The address used every one of MESH's 100 characters: the surname may have been cut short. */
  atLengthLimit: boolean;
}

/** Whether MESH would try to route this send by demographics. */
export function isGpProviderSend(mexTo: string | undefined, workflowId: string | undefined): boolean {
  return mexTo?.trim().startsWith(PREFIX) === true && GPPROVIDER_WORKFLOWS.has(workflowId?.trim() ?? '');
}

/** Splits on the first three `_`; the surname keeps any later ones. */
export function parseGpProviderAddress(mexTo: string): GpProviderAddress {
  const address = mexTo.trim();
  const [, nhsNumber = '', dateOfBirth = '', ...surname] = address.split('_');
  return {
    nhsNumber,
    dateOfBirth,
    surname: surname.join('_'),
    atLengthLimit: address.length >= MEX_TO_MAX_LENGTH,
  };
}
