/**
 * PDS sandbox double: a real HTTP server that answers `GET /Patient/{nhsNumber}` like the official PDS sandbox
 * (header checks, scenarios, echoed headers, ETag) plus the project's synthetic patients, with an optional signed-JWT
 * token endpoint and injectable faults. Built on node:http rather than fastify so that every status, header and
 * delay on the wire is exactly what the test asked for, and a form-encoded token request needs no plugin.
 */
import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { KeyLike } from 'node:crypto';
import { isValidNhsNumber } from '../../domain/nhs-number';
import { listen } from '../http-server';
import { createFaultState, faultSettingsSchema, type Fault, type FaultSettings } from './faults';
import { plainOutcome, spineOutcome, type SpineCode } from './operation-outcome';
import { patientScenario, type PatientRecords } from './patients';
import { createTokenIssuer, type TokenIssuer } from './token-endpoint';

/** The path the real API serves its FHIR R4 endpoints under. */
export const FHIR_BASE_PATH = '/personal-demographics/FHIR/R4';
export const TOKEN_PATH = '/oauth2/token';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface PdsDoubleOptions {
  /** 0 (the default) lets the OS pick a free port. */
  port?: number;
  host?: string;
  /** Public key of the client's signing key. Given: /oauth2/token works and Patient reads need its bearer tokens. */
  tokenPublicKey?: KeyLike;
  /** `expires_in` of issued tokens; the NHS platform's is 599. */
  tokenLifetimeSeconds?: number;
  /** Patients besides the built-in ones, e.g. from a patients file (patients-file.ts loadPdsPatientsFile). */
  patients?: PatientRecords;
}

/** A request as the double saw it, for assertions (X-Request-ID reuse, JWT claims). */
export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface PdsDouble {
  /** FHIR R4 base URL: use as FEDREPORT_PDS_BASE_URL. */
  url: string;
  /** Token endpoint URL: use as FEDREPORT_PDS_TOKEN_URL (only answers when `tokenPublicKey` was given). */
  tokenUrl: string;
  setFaults(settings: FaultSettings): void;
  /** Patient and token requests received so far, oldest first. */
  readonly received: readonly ReceivedRequest[];
  close(): Promise<void>;
}

interface Answer {
  status: number;
  body?: object;
  headers?: Record<string, string>;
}

export async function startPdsDouble(options: PdsDoubleOptions = {}): Promise<PdsDouble> {
  const faults = createFaultState();
  const received: ReceivedRequest[] = [];
  const tokens: TokenIssuer | undefined = options.tokenPublicKey
    ? createTokenIssuer({
        publicKey: options.tokenPublicKey,
        tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? 599,
      })
    : undefined;
  const delays = new Set<NodeJS.Timeout>();
  let tokenUrl = '';

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        delays.delete(timer);
        resolve();
      }, ms);
      delays.add(timer);
    });

  async function answer(request: IncomingMessage, body: string): Promise<Answer> {
    const url = new URL(request.url ?? '/', 'http://double');
    const method = request.method ?? 'GET';
    if (method === 'GET' && url.pathname === '/_health') return { status: 200, body: { status: 'ok' } };
    if (method === 'POST' && url.pathname === '/_faults') return setFaultsFromJson(body);
    if (method === 'POST' && url.pathname === TOKEN_PATH && tokens) {
      received.push({ method, path: url.pathname, headers: request.headers, body });
      return tokens.exchange(new URLSearchParams(body), tokenUrl);
    }
    const patientPath = new RegExp(`^${FHIR_BASE_PATH}/Patient/([^/]+)$`).exec(url.pathname);
    if (method === 'GET' && patientPath?.[1]) {
      received.push({ method, path: url.pathname, headers: request.headers, body });
      const fault = faults.take();
      if (fault?.mode === 'slow') await sleep(fault.delayMs);
      else if (fault) return faultAnswer(fault);
      return readPatient(decodeURIComponent(patientPath[1]), request.headers);
    }
    return { status: 404, body: plainOutcome('not-found', 'No such endpoint on the PDS double') };
  }

  function setFaultsFromJson(body: string): Answer {
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      return { status: 400, body: { error: 'body must be JSON' } };
    }
    const parsed = faultSettingsSchema.safeParse(json);
    if (!parsed.success)
      return { status: 400, body: { error: 'invalid fault settings', issues: parsed.error.issues } };
    faults.set(parsed.data);
    return { status: 204 };
  }

  function readPatient(nhsNumber: string, headers: IncomingHttpHeaders): Answer {
    const requestId = header(headers, 'x-request-id');
    if (requestId === undefined) {
      return spineError(
        400,
        'MISSING_VALUE',
        'Invalid request with error - X-Request-ID header must be supplied to access this resource',
      );
    }
    if (!UUID.test(requestId))
      return spineError(400, 'INVALID_VALUE', `Invalid value - '${requestId}' in header 'X-Request-ID'`);
    const authorization = header(headers, 'authorization');
    // The sandbox takes no token but rejects a malformed header; with a key the double insists on its own tokens.
    const authorised = tokens
      ? tokens.accepts(authorization)
      : authorization === undefined || /^Bearer \S+$/.test(authorization);
    if (!authorised) return spineError(401, 'ACCESS_DENIED', 'Invalid access token');
    if (!isValidNhsNumber(nhsNumber)) return spineError(400, 'INVALID_RESOURCE_ID');
    const scenario = patientScenario(nhsNumber, options.patients);
    if (!scenario) return spineError(404, 'RESOURCE_NOT_FOUND');
    if (scenario.kind === 'invalidated') return spineError(404, 'INVALIDATED_RESOURCE');
    const meta = scenario.resource.meta as { versionId?: string } | undefined;
    return { status: 200, body: scenario.resource, headers: { etag: `W/"${meta?.versionId ?? '1'}"` } };
  }

  const server = http.createServer((request, response) => {
    void handle(request, response);
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readBody(request);
    const result = await answer(request, body);
    if (response.destroyed) return; // the client gave up (timeout test)
    const echoed = Object.fromEntries(
      (['x-request-id', 'x-correlation-id'] as const).flatMap((name) => {
        const value = header(request.headers, name);
        return value === undefined ? [] : [[name, value]];
      }),
    );
    const contentType = request.url?.startsWith(FHIR_BASE_PATH)
      ? 'application/fhir+json'
      : 'application/json';
    response.writeHead(result.status, {
      ...echoed,
      ...(result.body ? { 'content-type': contentType } : {}),
      ...result.headers,
    });
    response.end(result.body ? JSON.stringify(result.body) : undefined);
  }

  const listening = await listen(server, options.port ?? 0, options.host ?? '127.0.0.1');
  const origin = listening.url;
  tokenUrl = `${origin}${TOKEN_PATH}`;

  return {
    url: `${origin}${FHIR_BASE_PATH}`,
    tokenUrl,
    setFaults: (settings) => faults.set(settings),
    received,
    async close() {
      for (const timer of delays) clearTimeout(timer);
      delays.clear();
      await listening.close();
    },
  };
}

function faultAnswer(fault: Fault): Answer {
  const retryAfter: Record<string, string> =
    fault.retryAfterSeconds === undefined ? {} : { 'retry-after': String(fault.retryAfterSeconds) };
  switch (fault.mode) {
    case '403':
      return spineError(403, 'ACCESS_DENIED', 'Simulated: application not permitted');
    case '408':
      return spineError(408, 'UNABLE_TO_CALL_SERVICE');
    case '429':
      return { ...spineError(429, 'TOO_MANY_REQUESTS'), headers: retryAfter };
    default: // 5xx ('slow' is handled by waiting, 'none' never becomes an active fault)
      return {
        status: fault.status,
        body: plainOutcome('exception', 'Simulated server failure'),
        headers: retryAfter,
      };
  }
}

function spineError(status: number, code: SpineCode, diagnostics?: string): Answer {
  return { status, body: spineOutcome(code, diagnostics) };
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
