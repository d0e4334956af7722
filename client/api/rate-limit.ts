/**
 * A request budget per credential (the bearer token or the client certificate, not the address: many practices may
 * share a proxy's address, and one credential may come from many). Runs after authentication, before the body is
 * read; public routes (health, readiness, the OpenAPI document) are exempt. @fastify/rate-limit keeps the counts in
 * memory, per API process.
 */
import crypto from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { bearerToken, type RouteAccess } from './auth';
import { ApiRejection } from './errors';

export interface ApiRateLimit {
  /** Requests one credential may make per window. */
  max: number;
  windowMs: number;
}

export const DEFAULT_API_RATE_LIMIT: ApiRateLimit = { max: 600, windowMs: 60_000 };

/** Whom a request counts against: a digest of its token (never the token itself), its certificate, else its address. */
export function credentialKey(request: FastifyRequest): string {
  const token = bearerToken(request.headers.authorization);
  if (token !== undefined) return `token:${crypto.createHash('sha256').update(token, 'utf8').digest('hex')}`;
  const socket = request.raw.socket as Partial<TLSSocket>;
  const fingerprint = socket.encrypted ? socket.getPeerCertificate?.().fingerprint256 : undefined;
  return fingerprint ? `certificate:${fingerprint}` : `address:${request.ip}`;
}

/** Adds the limit as an `onRequest` hook of every route, after the hooks added before this call. */
export function registerRateLimit(app: FastifyInstance, limit: ApiRateLimit): void {
  void app.register(rateLimit, {
    // Not per route: routes declared before the plugin has loaded would escape it.
    global: false,
    allowList: (request) => (request.routeOptions.config as RouteAccess).public === true,
    max: limit.max,
    timeWindow: limit.windowMs,
    keyGenerator: credentialKey,
    errorResponseBuilder: (_request, { max, ttl }) => {
      const retryAfterSeconds = Math.max(1, Math.ceil(ttl / 1000));
      return new ApiRejection(
        429,
        'rate_limited',
        'too many requests with this credential',
        [
          {
            field: 'credential',
            reason: `allows ${max} requests per ${limit.windowMs / 1000} s; retry after ${retryAfterSeconds} s`,
          },
        ],
        { 'retry-after': String(retryAfterSeconds) },
      );
    },
  });
  app.after(() => app.addHook('onRequest', app.rateLimit()));
}
