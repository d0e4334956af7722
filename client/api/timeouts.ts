/**
 * How long the API waits for a caller, so a client that never finishes its headers or trickles its body (slow loris)
 * holds a connection for seconds, not forever. Node enforces the header and request deadlines (408 in the shared
 * shape, client/api/server.ts answerUnparsableRequest); the idle deadline destroys a socket nothing moves on.
 */
import type { FastifyServerOptions } from 'fastify';

export interface ApiTimeouts {
  /** From connection (or the previous request) to the end of the headers. */
  headersMs: number;
  /** From connection to the end of the body; at least headersMs. */
  requestMs: number;
  /** An idle keep-alive connection is closed after this; above the 60 s idle timeout common in load balancers. */
  keepAliveMs: number;
  /** A socket with no traffic either way (a caller that stopped reading the answer) is destroyed after this. */
  idleMs: number;
}

export const DEFAULT_API_TIMEOUTS: ApiTimeouts = {
  headersMs: 10_000,
  requestMs: 60_000,
  keepAliveMs: 72_000,
  idleMs: 120_000,
};

/** Node checks the header and request deadlines on a timer (30 s by default): often enough to cut off on time. */
const checkingIntervalMs = (timeouts: ApiTimeouts): number =>
  Math.max(50, Math.min(1_000, Math.floor(timeouts.headersMs / 4)));

/** The options of Node's server (http or https) that carry the deadlines fastify does not set itself. */
export function nodeServerTimeouts(timeouts: ApiTimeouts): {
  headersTimeout: number;
  requestTimeout: number;
  connectionsCheckingInterval: number;
} {
  return {
    headersTimeout: timeouts.headersMs,
    requestTimeout: timeouts.requestMs,
    connectionsCheckingInterval: checkingIntervalMs(timeouts),
  };
}

/** fastify's own options: it sets these on the server after creating it, overriding Node's. */
export function fastifyTimeouts(
  timeouts: ApiTimeouts,
): Pick<FastifyServerOptions, 'requestTimeout' | 'keepAliveTimeout' | 'connectionTimeout'> {
  return {
    requestTimeout: timeouts.requestMs,
    keepAliveTimeout: timeouts.keepAliveMs,
    connectionTimeout: timeouts.idleMs,
  };
}
