/**
 * The router's PDS trace: `GET /Patient/{nhsNumber}` on the PDS double (or any PDS FHIR R4 base URL without
 * authentication) and the three answers routing needs: invalid number, no record, or the record's surnames, date of
 * birth and registered practice. Anything else (timeouts, 5xx, other statuses) is thrown as fedreport's PdsError.
 */
import crypto from 'node:crypto';
import { z } from 'zod';
import { PdsUnexpectedResponseError } from '../../integrations/pds/errors';
import { parseJson, sendWithTimeout, spineCodeOf, transientErrorFor } from '../../integrations/pds/http';
import { parsePdsPatient } from '../../integrations/pds/patient';

const TRACE = 'the MESH router trace';

export type PdsTrace =
  | {
      status: 'found';
      familyNames: string[];
      birthDate: string | undefined;
      registeredPracticeOds: string | null;
    }
  | { status: 'invalid-nhs-number' }
  | { status: 'not-found' };

/** The demographics parsePdsPatient (made for eligibility) leaves out. */
const demographicsSchema = z.object({
  birthDate: z.string().optional(),
  name: z.array(z.object({ use: z.string().optional(), family: z.string().optional() })).default([]),
});

export interface PdsTraceOptions {
  /** FHIR R4 base URL, e.g. the PDS double's `url`. */
  pdsUrl: string;
  timeoutMs?: number;
}

export type PdsTracer = (nhsNumber: string) => Promise<PdsTrace>;

export function createPdsTracer(options: PdsTraceOptions): PdsTracer {
  const baseUrl = options.pdsUrl.replace(/\/+$/, '');
  return async (nhsNumber) => {
    const response = await sendWithTimeout(
      `${baseUrl}/Patient/${encodeURIComponent(nhsNumber)}`,
      { headers: { accept: 'application/fhir+json', 'x-request-id': crypto.randomUUID() } },
      options.timeoutMs ?? 10_000,
      TRACE,
    );
    const spineCode = spineCodeOf(response.body);
    if (response.status === 400 && spineCode === 'INVALID_RESOURCE_ID')
      return { status: 'invalid-nhs-number' };
    // An invalidated record is, for routing, a number PDS cannot trace.
    if (response.status === 404 && spineCode !== undefined) return { status: 'not-found' };
    if (response.status !== 200) {
      throw (
        transientErrorFor(response, TRACE) ??
        new PdsUnexpectedResponseError(`PDS answered ${TRACE} with HTTP ${response.status}`, {
          status: response.status,
          spineCode,
        })
      );
    }
    return foundTrace(parseJson(response.body), nhsNumber);
  };
}

function foundTrace(json: unknown, nhsNumber: string): PdsTrace {
  const summary = parsePdsPatient(json, nhsNumber, new Date());
  const demographics = demographicsSchema.safeParse(json);
  if (!demographics.success)
    throw new PdsUnexpectedResponseError(
      `PDS answered ${TRACE} with a Patient whose names or birth date cannot be read`,
      { status: 200 },
    );
  // The usual name is the one PDS holds as current; old, maiden and other names do not route.
  const familyNames = demographics.data.name
    .filter((name) => name.use === undefined || name.use === 'usual')
    .flatMap((name) => (name.family ? [name.family] : []));
  return {
    status: 'found',
    familyNames,
    birthDate: demographics.data.birthDate,
    registeredPracticeOds: summary.registeredPracticeOds,
  };
}
