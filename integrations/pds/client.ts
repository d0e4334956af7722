/**
 * PDS FHIR R4 client: `GET /Patient/{nhsNumber}` only, which is all report eligibility needs. One call is one
 * attempt; retrying (with the same X-Request-ID) is the caller's job, normally Temporal's retry policy.
 */
import { z } from 'zod';
import { ValidationError } from '../../domain/validation-error';
import { createAccessTokenProvider, type AccessTokenProvider } from './access-token';
import type { PdsConfig } from './config';
import {
  PdsAccessDeniedError,
  PdsBadRequestError,
  PdsInvalidNhsNumberError,
  PdsPatientInvalidatedError,
  PdsPatientNotFoundError,
  PdsUnexpectedResponseError,
  type PdsError,
} from './errors';
import { parseJson, sendWithTimeout, spineCodeOf, transientErrorFor, type PdsHttpResponse } from './http';
import { parsePdsPatient, type PdsPatient } from './patient';

const LOOKUP = 'the patient lookup';

export interface PdsRequestOptions {
  /** X-Request-ID: a UUID, the same on every retry of one lookup so PDS can recognise the repeat. */
  requestId: string;
  /** X-Correlation-ID: ties the call to our own logs; must not carry patient data. */
  correlationId?: string;
  /** NHSD-End-User-Organisation-ODS: the practice on whose behalf the lookup is made. */
  endUserOds?: string;
}

export interface PdsClient {
  /** The patient's PDS record, summarised. Throws a PdsError subclass when there is none or PDS cannot answer. */
  getPatient(nhsNumber: string, options: PdsRequestOptions): Promise<PdsPatient>;
}

export interface PdsClientDependencies {
  /** The clock that decides which registration period is current; tests pin it. */
  now?: () => Date;
}

const requestIdSchema = z.string().uuid();

export function createPdsClient(config: PdsConfig, dependencies: PdsClientDependencies = {}): PdsClient {
  const now = dependencies.now ?? (() => new Date());
  const tokens: AccessTokenProvider | undefined =
    config.auth.mode === 'signed-jwt'
      ? createAccessTokenProvider(config.auth, { timeoutMs: config.timeoutMs })
      : undefined;

  function errorFor(response: PdsHttpResponse): PdsError {
    const transient = transientErrorFor(response, LOOKUP);
    if (transient) return transient;
    const spineCode = spineCodeOf(response.body);
    const details = { status: response.status, spineCode };
    switch (response.status) {
      case 400:
        return spineCode === 'INVALID_RESOURCE_ID'
          ? new PdsInvalidNhsNumberError("PDS says the patient's NHS number is not valid", details)
          : new PdsBadRequestError(
              `PDS rejected the lookup request (HTTP 400 ${spineCode ?? 'without a Spine code'})`,
              details,
            );
      case 401:
        return new PdsAccessDeniedError(
          'PDS refused the access token (HTTP 401)',
          tokens !== undefined,
          details,
        );
      case 403:
        return new PdsAccessDeniedError('PDS denied this application access (HTTP 403)', false, details);
      case 404:
        if (spineCode === 'INVALIDATED_RESOURCE')
          return new PdsPatientInvalidatedError("the patient's PDS record has been invalidated", details);
        if (spineCode === 'RESOURCE_NOT_FOUND')
          return new PdsPatientNotFoundError('PDS has no record for the patient', details);
        // A bare 404 is a wrong base URL, not a missing patient: saying "not found" would silently drop reports.
        return new PdsUnexpectedResponseError(
          'PDS answered 404 without a Spine error code; check FEDREPORT_PDS_BASE_URL',
          details,
        );
      default:
        return new PdsUnexpectedResponseError(`PDS answered ${LOOKUP} with HTTP ${response.status}`, details);
    }
  }

  return {
    async getPatient(nhsNumber, options) {
      if (!requestIdSchema.safeParse(options.requestId).success) {
        throw new ValidationError('PDS request', [{ field: 'requestId', reason: 'must be a UUID' }]);
      }
      // Only digits may go into the URL path; the check digit itself is for PDS to judge.
      if (!/^\d{10}$/.test(nhsNumber))
        throw new PdsInvalidNhsNumberError("the patient's NHS number is not 10 digits");
      const headers: Record<string, string> = {
        accept: 'application/fhir+json',
        'x-request-id': options.requestId,
      };
      if (options.correlationId) headers['x-correlation-id'] = options.correlationId;
      if (options.endUserOds) headers['nhsd-end-user-organisation-ods'] = options.endUserOds;
      if (tokens) headers.authorization = `Bearer ${await tokens.token()}`;
      const response = await sendWithTimeout(
        `${config.baseUrl}/Patient/${nhsNumber}`,
        { headers },
        config.timeoutMs,
        LOOKUP,
      );
      // A refused token is dropped so that the next attempt signs in afresh.
      if (response.status === 401) tokens?.invalidate();
      if (response.status !== 200) throw errorFor(response);
      return parsePdsPatient(parseJson(response.body), nhsNumber, now());
    },
  };
}
