/**
 * Caller authentication and practice scope for the HTTP services. Authentication (`onRequest`, before the body is
 * read, so an unauthenticated caller can neither make the service parse a large body nor learn anything about it):
 * a bearer token from the configured credentials, or (API only) a client certificate signed by the configured CA,
 * not revoked, and on the allow-list. Each credential acts only for its practices (credentials.ts); routes ask
 * `requirePractice` before they start or change anything.
 */
import crypto from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import {
  mayActFor,
  normalizedFingerprint,
  normalizedSubject,
  type Caller,
  type CertificateCredential,
  type TokenCredential,
} from './credentials';
import { ApiRejection } from './errors';

export type ApiAuth =
  { mode: 'bearer'; tokens: TokenCredential[] } | { mode: 'mtls'; certificates: CertificateCredential[] };

/** Routes marked `config: { public: true }` (health, readiness, the OpenAPI document) need no credentials. */
export interface RouteAccess {
  public?: boolean;
}

/** The token of an `Authorization: Bearer <token>` header, if that is what it is. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer[ ]+([^\s]+)\s*$/i.exec(header ?? '');
  return match?.[1];
}

/** Finds the credential of a token, comparing digests in constant time so timing reveals nothing of any token. */
export function tokenCredentialFinder<T extends { token: string }>(
  credentials: T[],
): (presented: string | undefined) => T | undefined {
  const digest = (value: string): Buffer => crypto.createHash('sha256').update(value, 'utf8').digest();
  const accepted = credentials.map((credential) => ({ credential, digest: digest(credential.token) }));
  return (presented) => {
    if (presented === undefined) return undefined;
    const candidate = digest(presented);
    // Every token is compared, so the time taken does not depend on which one matches.
    return accepted.reduce<T | undefined>(
      (found, { credential, digest: token }) =>
        crypto.timingSafeEqual(token, candidate) ? credential : found,
      undefined,
    );
  };
}

export function tokenMatcher(tokens: string[]): (presented: string | undefined) => boolean {
  const find = tokenCredentialFinder(tokens.map((token) => ({ token })));
  return (presented) => find(presented) !== undefined;
}

export function unauthorized(reason: string, challenge: string): ApiRejection {
  return new ApiRejection(
    401,
    'unauthorized',
    'the request is not authenticated',
    [{ field: 'Authorization', reason }],
    {
      'www-authenticate': challenge,
    },
  );
}

/** Identifies the caller from its credentials; throws a 401 rejection naming what is missing or wrong. */
export function callerIdentification(auth: ApiAuth): (request: FastifyRequest) => Caller {
  if (auth.mode === 'mtls') return certificateCaller(auth.certificates);
  const find = tokenCredentialFinder(auth.tokens);
  return (request) => {
    const token = bearerToken(request.headers.authorization);
    if (token === undefined) throw unauthorized('must be "Bearer <token>"', 'Bearer realm="fedreport"');
    const credential = find(token);
    if (!credential)
      throw unauthorized(
        'carries a token this service does not accept',
        'Bearer realm="fedreport", error="invalid_token"',
      );
    return credential;
  };
}

/**
 * The TLS server asks for a certificate but lets the handshake finish, so a missing, foreign, revoked or unlisted
 * one gets a 401 that says why.
 */
function certificateCaller(allowList: CertificateCredential[]): (request: FastifyRequest) => Caller {
  const refuse = (reason: string): ApiRejection =>
    new ApiRejection(401, 'unauthorized', 'the request is not authenticated', [
      { field: 'client certificate', reason },
    ]);
  const identities = allowList.map((credential) => ({
    credential,
    subject: credential.subject === undefined ? undefined : normalizedSubject(credential.subject),
    sha256: credential.sha256 === undefined ? undefined : normalizedFingerprint(credential.sha256),
  }));
  return (request) => {
    const socket = request.raw.socket as Partial<TLSSocket>;
    if (!socket.encrypted || !socket.authorized) {
      const why = socket.encrypted
        ? String(socket.authorizationError ?? 'no certificate presented')
        : 'the connection is not TLS';
      throw refuse(`must be presented, signed by the configured client CA and not revoked (${why})`);
    }
    const certificate = socket.getPeerX509Certificate?.();
    const subject = certificate && normalizedSubject(certificate.subject);
    const sha256 = certificate && normalizedFingerprint(certificate.fingerprint256);
    const listed = identities.find(
      (entry) =>
        (entry.subject === undefined || entry.subject === subject) &&
        (entry.sha256 === undefined || entry.sha256 === sha256),
    )?.credential;
    if (!listed) throw refuse('is not on the allow-list of FEDREPORT_API_CREDENTIALS_FILE');
    return listed;
  };
}

const callers = new WeakMap<FastifyRequest, Caller>();

/** `onRequest` hook: public routes pass, all others must authenticate. Synchronous throws reach the error handler. */
export function authenticationHook(auth: ApiAuth) {
  const identify = callerIdentification(auth);
  return (request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void => {
    if (!(request.routeOptions.config as RouteAccess).public) {
      const caller = identify(request);
      callers.set(request, caller);
      // The credential's name, never its secret, so each logged request says who made it.
      request.log = request.log.child({ caller: caller.name });
    }
    done();
  };
}

/** The authenticated caller of a request on a non-public route. */
export function callerOf(request: FastifyRequest): Caller {
  const caller = callers.get(request);
  if (!caller) throw new Error('callerOf: the request was not authenticated (is the route public?)');
  return caller;
}

/** Whether this request's credential may act for the practice; a refusal is logged with the credential's name. */
export function requestMayActFor(request: FastifyRequest, odsCode: string | undefined): boolean {
  if (mayActFor(callerOf(request), odsCode)) return true;
  request.log.warn({ error: 'practice_not_permitted' }, 'credential used for another practice');
  return false;
}

/**
 * Refuses (403) a request for a practice its credential does not act for. The answer names the field, never the
 * practices the credential does act for.
 */
export function requirePractice(request: FastifyRequest, odsCode: string, field: string): void {
  if (requestMayActFor(request, odsCode)) return;
  throw new ApiRejection(403, 'practice_not_permitted', 'the credential does not act for this practice', [
    { field, reason: 'names a practice this credential may not act for' },
  ]);
}
