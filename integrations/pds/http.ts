/**
 * The HTTP mechanics shared by the Patient read and the token exchange: a timeout on every call, no redirects, connection
 * failures and the platform's transient statuses (408, 429, 5xx) turned into typed errors, Spine codes read from
 * OperationOutcome bodies.
 */
import { z } from 'zod';
import { RedirectRefusedError, fetchRefusingRedirects } from '../../common/outbound-http';
import { tracedCall } from '../../common/traced-call';
import {
  PdsError,
  PdsNetworkError,
  PdsRateLimitedError,
  PdsServerError,
  PdsTimeoutError,
  PdsUnexpectedResponseError,
} from './errors';

const SPINE_CODE_SYSTEM = 'https://fhir.nhs.uk/R4/CodeSystem/Spine-ErrorOrWarningCode';

const operationOutcomeSchema = z.object({
  resourceType: z.literal('OperationOutcome'),
  issue: z.array(
    z.object({
      details: z
        .object({
          coding: z.array(z.object({ system: z.string().optional(), code: z.string() })).default([]),
        })
        .optional(),
    }),
  ),
});

export interface PdsHttpResponse {
  status: number;
  headers: Headers;
  body: string;
}

/** One HTTP exchange with a hard deadline; `what` names the call in error messages ("the patient lookup"). */
export async function sendWithTimeout(
  url: string,
  init: RequestInit,
  timeoutMs: number,
  what: string,
): Promise<PdsHttpResponse> {
  try {
    const signal = AbortSignal.timeout(timeoutMs);
    // The span names the call, never the URL: a lookup's URL carries the NHS number.
    return await tracedCall(`PDS: ${what}`, { 'http.request.method': init.method ?? 'GET' }, async () => {
      const response = await fetchRefusingRedirects(url, { ...init, signal }, `PDS (${what})`);
      return { status: response.status, headers: response.headers, body: await response.text() };
    });
  } catch (error) {
    if (error instanceof RedirectRefusedError) {
      throw new PdsUnexpectedResponseError(error.message, { status: error.status });
    }
    // Duck-typed: fetch's errors may come from another realm (Jest's VM), where instanceof Error is false.
    const name = stringProperty(error, 'name');
    if (name === 'TimeoutError' || name === 'AbortError') {
      throw new PdsTimeoutError(`PDS did not answer ${what} within ${timeoutMs} ms`, { cause: error });
    }
    throw new PdsNetworkError(`could not reach PDS for ${what}: ${describeNetworkFailure(error)}`, {
      cause: error,
    });
  }
}

/** The Spine error code of an OperationOutcome body, if the body is one. */
export function spineCodeOf(body: string): string | undefined {
  const outcome = operationOutcomeSchema.safeParse(parseJson(body));
  if (!outcome.success) return undefined;
  const codings = outcome.data.issue.flatMap((issue) => issue.details?.coding ?? []);
  return (codings.find((c) => c.system === SPINE_CODE_SYSTEM) ?? codings[0])?.code;
}

/** The error for a status that means "try again later" (408, 429, 5xx), or undefined for any other status. */
export function transientErrorFor(response: PdsHttpResponse, what: string): PdsError | undefined {
  const details = {
    status: response.status,
    spineCode: spineCodeOf(response.body),
    retryAfterMs: retryAfterMs(response.headers),
  };
  if (response.status === 408)
    return new PdsTimeoutError(`PDS timed out processing ${what} (HTTP 408)`, details);
  if (response.status === 429) return new PdsRateLimitedError(`PDS rate-limited ${what} (HTTP 429)`, details);
  if (response.status >= 500)
    return new PdsServerError(`PDS failed ${what} (HTTP ${response.status})`, details);
  return undefined;
}

/** `Retry-After` as delta-seconds or an HTTP date (RFC 9110 §10.2.3), in milliseconds from now. */
export function retryAfterMs(headers: Headers, now: () => number = Date.now): number | undefined {
  const value = headers.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now());
}

/** The body as JSON, or undefined when it is not JSON (gateways answer errors in HTML or plain text). */
export function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

/** undici hides the socket error (ECONNREFUSED...) in `cause`; that code is what an operator needs. */
function describeNetworkFailure(error: unknown): string {
  const cause = typeof error === 'object' && error !== null && 'cause' in error ? error.cause : undefined;
  return stringProperty(cause, 'code') ?? stringProperty(error, 'message') ?? String(error);
}

function stringProperty(value: unknown, key: string): string | undefined {
  if (typeof value !== 'object' || value === null || !(key in value)) return undefined;
  const property: unknown = (value as Record<string, unknown>)[key];
  return typeof property === 'string' ? property : undefined;
}
