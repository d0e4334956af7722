import type { z } from 'zod';
import type { codingSchema } from '../../../domain/snapshot';

type Coding = z.output<typeof codingSchema>;

/** Names clinicians know for the code systems a GP system records; an unknown system is shown by its URI. */
const CODE_SYSTEM_NAMES: Record<string, string> = {
  'http://snomed.info/sct': 'SNOMED CT',
  'https://dmd.nhs.uk': 'dm+d',
  'http://read.info/readv2': 'Read v2',
  'http://read.info/ctv3': 'CTV3',
  'http://hl7.org/fhir/sid/icd-10': 'ICD-10',
};

/**
 * The code reference printed after a coded item, e.g. `SNOMED CT 50417007`. The display term is added
 * (`SNOMED CT 50417007 |Lower respiratory tract infection|`, SNOMED's own notation) only when it says something the
 * item's text does not, so a term is never printed twice.
 */
export function formatCodeReference(coding: Coding, itemText: string): string {
  const system = CODE_SYSTEM_NAMES[coding.system] ?? coding.system;
  const showDisplay =
    coding.display !== undefined && coding.display.trim().toLowerCase() !== itemText.trim().toLowerCase();
  return `${system} ${coding.code}${showDisplay ? ` |${coding.display}|` : ''}`;
}
