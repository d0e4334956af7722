/**
 * Abuse of everything around the body: credentials, content types, methods and paths, header injection and HTTP
 * framing. The body is a valid snapshot unless the case is about something else, so a request that slips past a
 * check would start a workflow and be caught.
 */
import type { RawRequest } from '../raw-http';
import {
  authorisedHeaders,
  canary,
  contractVerdict,
  eventsPath,
  exampleSnapshot,
  jsonBody,
  targetEncounter,
  type CaseContext,
  type FuzzCase,
  type Verdict,
} from './fuzz-case';

/**
 * A change to the well-formed request; `wellFormed` says whether the request is still one the API must take. A
 * change may return values it planted (canaries) that the answer must not quote back.
 */
interface RequestVariant {
  name: string;
  change: (request: RawRequest, ctx: CaseContext, encounterId: string) => string[] | void;
  wellFormed: boolean;
}

const setHeader = (request: RawRequest, name: string, value: string | undefined): void => {
  request.headers = request.headers.filter(([key]) => key.toLowerCase() !== name.toLowerCase());
  if (value !== undefined) request.headers.push([name, value]);
};

const authorization = (
  name: string,
  value: (token: string, ctx: CaseContext) => string | undefined,
): RequestVariant => ({
  name,
  change: (request, ctx) => setHeader(request, 'Authorization', value(ctx.token, ctx)),
  wellFormed: false,
});

const AUTH_VARIANTS: RequestVariant[] = [
  authorization('missing', () => undefined),
  authorization('wrong-token', (token, ctx) => `Bearer ${ctx.prng.letters(token.length)}`),
  authorization('basic-scheme', (token) => `Basic ${Buffer.from(`fedreport:${token}`).toString('base64')}`),
  authorization('scheme-only', () => 'Bearer'),
  authorization('scheme-and-space', () => 'Bearer '),
  authorization('truncated-token', (token) => `Bearer ${token.slice(0, -1)}`),
  authorization('extended-token', (token) => `Bearer ${token}0`),
  authorization('two-tokens', (token) => `Bearer ${token} ${token}`),
  authorization('other-scheme', (token) => `Token ${token}`),
  authorization('no-scheme', (token) => token),
  authorization('upper-case-token', (token) => `Bearer ${token.toUpperCase()}`),
  authorization('non-ascii-token', (token) => `Bearer ${token.slice(0, -1)}é`),
  authorization('long-token', () => `Bearer ${'a'.repeat(12_000)}`),
  authorization('over-header-limit', () => `Bearer ${'a'.repeat(20_000)}`),
  {
    // Node keeps the first of duplicated Authorization headers: a wrong one first must not be rescued by the second.
    name: 'wrong-then-right',
    change: (request, ctx) => {
      setHeader(request, 'Authorization', `Bearer ${ctx.prng.letters(ctx.token.length)}`);
      request.headers.push(['Authorization', `Bearer ${ctx.token}`]);
    },
    wellFormed: false,
  },
];

const contentType = (
  value: string | undefined,
  wellFormed: boolean,
  name = value ?? 'missing',
): RequestVariant => ({
  name: name.replace(/[^\w.+-]+/g, '_') || 'blank',
  change: (request) => setHeader(request, 'Content-Type', value),
  wellFormed,
});

const CONTENT_TYPE_VARIANTS: RequestVariant[] = [
  contentType(undefined, false),
  contentType('', false),
  contentType('text/plain', false),
  contentType('text/json', false),
  contentType('application/xml', false),
  contentType('application/x-www-form-urlencoded', false),
  contentType('multipart/form-data; boundary=x', false),
  contentType('application/json-patch+json', false),
  contentType('application/jsonx', false),
  contentType('application/fhir+json', false),
  contentType('json', false),
  contentType('*/*', false),
  contentType('application/json; charset=utf-8', true),
  contentType('application/json;charset=UTF-8', true),
];

const method = (name: string): RequestVariant => ({
  name,
  change: (request) => {
    request.method = name;
  },
  wellFormed: false,
});

const path = (
  name: string,
  target: (encounterId: string, ctx: CaseContext) => string,
  wellFormed = false,
): RequestVariant => ({
  name,
  change: (request, ctx, encounterId) => {
    request.target = target(encounterId, ctx);
  },
  wellFormed,
});

/** A path whose id segment carries a canary, for the rejections that might quote the path back. */
const pathWithCanary = (name: string, target: (marker: string) => string): RequestVariant => ({
  name,
  change: (request, ctx) => {
    const marker = canary(ctx);
    request.target = target(marker);
    return [marker];
  },
  wellFormed: false,
});

const METHOD_AND_PATH_VARIANTS: RequestVariant[] = [
  ...['GET', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE', 'PROPFIND', 'HEAD', 'SEARCH', 'post', 'P0ST'].map(
    method,
  ),
  path('trailing-slash', (id) => `${eventsPath(id)}/`),
  path('query-string', (id) => `${eventsPath(id)}?dryRun=true&x=%00`, true),
  path('upper-case-guid', (id) => eventsPath(id.toUpperCase()), true),
  // Node drops the fragment (not allowed on a request line, and harmless): the submission stands.
  path('fragment', (id) => `${eventsPath(id)}#top`, true),
  path('encoded-slash', (id) => `/v1/encounters/${id}%2Fevents`),
  path('dot-segments', (id) => `/v1/encounters/../encounters/${id}/events`),
  path('upper-case-path', (id) => eventsPath(id).toUpperCase()),
  path('double-slash', (id) => `/${eventsPath(id)}`),
  path('nul-id', () => '/v1/encounters/%00/events'),
  pathWithCanary('bad-percent-encoding', (marker) => `/v1/encounters/${marker}%ZZ/events`),
  path('semicolon', (id) => `/v1/encounters/${id};jsessionid=1/events`),
  path('encoded-space', (id) => `/v1/encounters/${id}%20/events`),
  pathWithCanary('long-id', (marker) => `/v1/encounters/${marker.repeat(400)}/events`),
  path('raw-unicode', () => '/v1/encounters/é😀/events'),
  path('asterisk', () => '*'),
  // RFC 9112 §3.2.2: a server must accept the absolute form.
  path('absolute-form', (id) => `http://127.0.0.1${eventsPath(id)}`, true),
  path('other-encounter', (_id, ctx) => eventsPath(ctx.prng.uuid())),
  path('missing-id', () => '/v1/encounters//events'),
  path('no-events-segment', (id) => `/v1/encounters/${id}`),
  path('health', () => '/health'),
  path('unknown-route', () => '/v1/admin'),
];

const header = (name: string, line: readonly [string, string], wellFormed = false): RequestVariant => ({
  name,
  change: (request) => {
    request.headers.push(line);
  },
  wellFormed,
});

const framing = (name: string, change: RequestVariant['change'], wellFormed = false): RequestVariant => ({
  name,
  change,
  wellFormed,
});

const asGiven = (request: RawRequest, lines: [string, string][]): void => {
  request.framing = 'as-given';
  request.headers.push(...lines);
};

/** Numbered filler headers: many small ones fit Node's 16 KiB header limit, more do not. */
const addHeaders = (request: RawRequest, count: number, prefix: string): void => {
  request.headers.push(
    ...Array.from({ length: count }, (_, i): [string, string] => [`${prefix}${i}`, 'abcdef']),
  );
};

const bodyLength = (request: RawRequest): number => request.body?.length ?? 0;

const HEADER_AND_FRAMING_VARIANTS: RequestVariant[] = [
  header('bare-cr-in-value', ['X-Note', 'a\rb']),
  header('nul-in-value', ['X-Note', 'a\u0000b']),
  header('bare-lf-injected-header', ['X-Note', 'a\nX-Injected: 1']),
  header('obs-fold', ['X-Note', 'a\r\n folded']),
  header('space-before-colon', ['X-Note ', 'a']),
  header('space-in-name', ['X Note', 'a']),
  header('non-ascii-name', ['X-Ñote', 'a']),
  header('empty-name', ['', 'a']),
  // Node keeps the first Host where RFC 9112 asks for a 400; the API does not use Host, so the submission stands.
  header('second-host', ['Host', 'evil.invalid'], true),
  header('expect-continue', ['Expect', '100-continue'], true),
  header('expect-unknown', ['Expect', '102-processing']),
  framing('missing-host', (request) => setHeader(request, 'Host', undefined)),
  framing('many-small-headers', (request) => addHeaders(request, 800, 'X-'), true),
  framing('header-overflow', (request) => addHeaders(request, 2_000, 'X-Header-')),
  framing('duplicate-content-length', (request) =>
    asGiven(request, [
      ['Content-Length', String(bodyLength(request))],
      ['Content-Length', String(bodyLength(request) + 1)],
    ]),
  ),
  framing('content-length-and-chunked', (request) => {
    asGiven(request, [
      ['Content-Length', String(bodyLength(request))],
      ['Transfer-Encoding', 'chunked'],
    ]);
  }),
  framing('negative-content-length', (request) => asGiven(request, [['Content-Length', '-1']])),
  framing('hex-content-length', (request) =>
    asGiven(request, [['Content-Length', `0x${bodyLength(request).toString(16)}`]]),
  ),
  framing('plus-content-length', (request) =>
    asGiven(request, [['Content-Length', `+${bodyLength(request)}`]]),
  ),
  framing('short-content-length', (request) =>
    asGiven(request, [['Content-Length', String(Math.floor(bodyLength(request) / 2))]]),
  ),
  framing('unknown-transfer-coding', (request) => asGiven(request, [['Transfer-Encoding', 'gzip']])),
  framing('chunked-not-last', (request) => asGiven(request, [['Transfer-Encoding', 'chunked, identity']])),
  framing('obfuscated-chunked', (request) => asGiven(request, [['Transfer-Encoding', ' chunked']])),
  framing(
    'chunked',
    (request) => {
      request.framing = 'chunked';
    },
    true,
  ),
  framing(
    'http-1.0',
    (request) => {
      request.httpVersion = 'HTTP/1.0';
    },
    true,
  ),
  // Node's parser takes an HTTP/2.0 request line in HTTP/1 framing as it is; the submission stands.
  framing(
    'http-2.0-line',
    (request) => {
      request.httpVersion = 'HTTP/2.0';
    },
    true,
  ),
  framing('unknown-version', (request) => {
    request.httpVersion = 'HTTP/1.7';
  }),
  framing('lower-case-version', (request) => {
    request.httpVersion = 'http/1.1';
  }),
  framing('tab-in-request-line', (request) => {
    request.target = `${request.target}\tHTTP/1.1`;
  }),
  framing('nul-in-target', (request) => {
    request.target = `${request.target}\u0000`;
  }),
];

const FAMILIES: readonly (readonly [string, RequestVariant[], number])[] = [
  ['auth', AUTH_VARIANTS, 3],
  ['content-type', CONTENT_TYPE_VARIANTS, 2],
  ['route', METHOD_AND_PATH_VARIANTS, 3],
  ['http', HEADER_AND_FRAMING_VARIANTS, 3],
];

/** A well-formed submission of a valid snapshot with one thing around the body changed. */
export function requestCase(ctx: CaseContext): FuzzCase {
  const [family, variants] = ctx.prng.weighted(
    FAMILIES.map(([name, list, weight]) => [[name, list] as const, weight] as const),
  );
  const variant = ctx.prng.pick(variants);
  const encounterId = targetEncounter(ctx);
  const body = jsonBody(exampleSnapshot(encounterId));
  const request: RawRequest = {
    method: 'POST',
    target: eventsPath(encounterId),
    headers: authorisedHeaders(ctx),
    body,
  };
  const canaries = variant.change(request, ctx, encounterId) ?? [];
  const verdict: Verdict = variant.wellFormed
    ? contractVerdict(ctx, encounterId, body)
    : { expected: 'reject' };
  return { label: `${family}/${variant.name}`, request, ...verdict, encounterId, canaries };
}
