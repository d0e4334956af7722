/**
 * Caller authentication for the HTTP services: a bearer token from a configured list, or (API only) a client
 * certificate signed by the configured CA. Runs in `onRequest`, before the body is read, so an unauthenticated caller
 * can neither make the service parse a large body nor learn anything about it.
 */
import crypto from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { ApiRejection } from './errors';

export type ApiAuth = { mode: 'bearer'; tokens: string[] } | { mode: 'mtls' };

/** Routes marked `config: { public: true }` (health, readiness, the OpenAPI document) need no credentials. */
export interface RouteAccess {
  public?: boolean;
}

/** The token of an `Authorization: Bearer <token>` header, if that is what it is. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer[ ]+([^\s]+)\s*$/i.exec(header ?? '');
  return match?.[1];
}

/** Compares digests in constant time, so response timing reveals nothing about a token's prefix or length. */
export function tokenMatcher(tokens: string[]): (presented: string | undefined) => boolean {
  const digest = (value: string): Buffer => crypto.createHash('sha256').update(value, 'utf8').digest();
  const accepted = tokens.map(digest);
  return (presented) => {
    if (presented === undefined) return false;
    const candidate = digest(presented);
    // Every token is compared, so the time taken does not depend on which one matches.
    return accepted.reduce((found, token) => crypto.timingSafeEqual(token, candidate) || found, false);
  };
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

/** Checks the caller's credentials; throws a 401 rejection naming what is missing or wrong. */
export function credentialCheck(auth: ApiAuth): (request: FastifyRequest) => void {
  if (auth.mode === 'mtls') return checkClientCertificate;
  const matches = tokenMatcher(auth.tokens);
  return (request) => {
    const token = bearerToken(request.headers.authorization);
    if (token === undefined) throw unauthorized('must be "Bearer <token>"', 'Bearer realm="fedreport"');
    if (!matches(token))
      throw unauthorized(
        'carries a token this service does not accept',
        'Bearer realm="fedreport", error="invalid_token"',
      );
  };
}

/** The TLS server asks for a certificate but lets the handshake finish, so a missing one gets a 401 that says why. */
function checkClientCertificate(request: FastifyRequest): void {
  const socket = request.raw.socket as Partial<TLSSocket>;
  if (socket.encrypted && socket.authorized) return;
  const why = socket.encrypted
    ? String(socket.authorizationError ?? 'no certificate presented')
    : 'the connection is not TLS';
  throw new ApiRejection(401, 'unauthorized', 'the request is not authenticated', [
    {
      field: 'client certificate',
      reason: `must be presented and signed by the configured client CA (${why})`,
    },
  ]);
}

/** `onRequest` hook: public routes pass, all others must authenticate. Synchronous throws reach the error handler. */
export function authenticationHook(auth: ApiAuth) {
  const check = credentialCheck(auth);
  return (request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void => {
    if (!(request.routeOptions.config as RouteAccess).public) check(request);
    done();
  };
}
