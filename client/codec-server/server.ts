/**
 * Codec server for the Temporal UI and CLI: `POST /encode` and `POST /decode` with `{ payloads: [...] }`, run through
 * the same payload codec as workers and clients, so operators see decrypted payloads while the server stores only
 * ciphertext. It is a decryption oracle: it listens on loopback by default and every request needs a token.
 *
 * Credentials: the Temporal UI user's OIDC access token, forwarded by the UI as `Authorization: Bearer <token>` and
 * verified against the identity provider (access-token.ts); or a static token, as `Authorization: Bearer <token>`
 * (CLI `--codec-auth`, scripts) or as the first path segment (`<url>/<token>/decode`). The path form exists for a
 * loopback Temporal UI without single sign-on: it calls `<codec endpoint>/decode` with no credentials of its own, so
 * the endpoint configured in the UI carries the token (see `uiEndpoint`). The token in the path is never logged:
 * request logging is replaced by lines with the route pattern only.
 */
import cors from '@fastify/cors';
import type { Payload, PayloadCodec } from '@temporalio/common';
import fastify, { LogController, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { createLogger } from '../../common/logger';
import { AccessTokenRejected, type AccessTokenVerifier } from './access-token';
import {
  PayloadDecryptionError,
  PlaintextPayloadError,
  UnknownCodecKeyError,
} from '../../common/payload-codec';
import { fieldIssuesFromZod } from '../../domain/validation-error';
import { bearerToken, tokenMatcher, unauthorized } from '../api/auth';
import { ApiRejection, errorHandler, notFoundHandler, requireJsonContentType } from '../api/errors';
import { payloadFromJson, payloadsBodySchema, payloadToJson, type PayloadJson } from './payload-json';

export const DEFAULT_CODEC_SERVER_BODY_LIMIT_BYTES = 16 * 1024 * 1024;
/** What the Temporal UI sends: its namespace header, JSON, and (with single sign-on) the user's token. */
export const CODEC_ALLOWED_HEADERS = ['x-namespace', 'content-type', 'authorization'];

export interface CodecServerOptions {
  codec: PayloadCodec;
  /** Accepted static tokens (header or path). */
  tokens: string[];
  /** Verifies the UI users' access tokens; with no static tokens, the only way in. */
  accessTokens?: AccessTokenVerifier;
  /** Browser origins allowed to call (the Temporal UI's, e.g. http://127.0.0.1:8233). */
  allowedOrigins: string[];
  /** 127.0.0.1 by default. */
  host?: string;
  /** 0 (a free port) by default. */
  port?: number;
  bodyLimitBytes?: number;
  logger?: Logger;
}

export interface RunningCodecServer {
  /** Base URL, e.g. http://127.0.0.1:8091 (for clients that send the Authorization header). */
  url: string;
  /** The endpoint to configure in the Temporal UI (`--ui-codec-endpoint`): the base URL with a token path segment. */
  uiEndpoint(token: string): string;
  close(): Promise<void>;
}

interface CodecRoute {
  Params: { token?: string };
}

export async function startCodecServer(options: CodecServerOptions): Promise<RunningCodecServer> {
  if (options.tokens.length === 0 && !options.accessTokens)
    throw new Error('the codec server needs static tokens or an access token verifier');
  const bodyLimit = options.bodyLimitBytes ?? DEFAULT_CODEC_SERVER_BODY_LIMIT_BYTES;
  const logger = options.logger ?? createLogger('fedreport-codec-server');
  // fastify's request log lines carry the URL, which may hold the token; the onResponse hook logs the route instead.
  const app = fastify({
    loggerInstance: logger,
    bodyLimit,
    logController: new LogController({ disableRequestLogging: true }),
  });
  await app.register(cors, {
    origin: options.allowedOrigins,
    methods: ['POST'],
    allowedHeaders: CODEC_ALLOWED_HEADERS,
    // The UI's "include cross-origin credentials" setting needs this to read the answers.
    credentials: true,
    maxAge: 600,
  });
  app.removeContentTypeParser('text/plain');
  app.setErrorHandler(errorHandler(bodyLimit));
  app.setNotFoundHandler(notFoundHandler);

  const authenticate = authenticator(options.tokens, options.accessTokens);
  app.addHook('onRequest', async (request: FastifyRequest<CodecRoute>) => {
    // Browsers send preflights without credentials; they reveal nothing and run no codec.
    if (request.method !== 'OPTIONS') await authenticate(request);
  });
  app.addHook('onResponse', (request, reply, done) => {
    request.log.info(
      { route: request.routeOptions.url, statusCode: reply.statusCode, ms: Math.round(reply.elapsedTime) },
      'codec request',
    );
    done();
  });

  const run = async (direction: 'encode' | 'decode', body: unknown): Promise<{ payloads: PayloadJson[] }> => {
    const parsed = payloadsBodySchema.safeParse(body);
    if (!parsed.success)
      throw new ApiRejection(
        400,
        'invalid_request',
        'the body must be { payloads: [...] }',
        fieldIssuesFromZod(parsed.error),
      );
    const payloads = parsed.data.payloads.map(payloadFromJson);
    const result =
      direction === 'encode'
        ? await options.codec.encode(payloads)
        : await decodeEach(options.codec, payloads);
    return { payloads: result.map(payloadToJson) };
  };
  for (const direction of ['encode', 'decode'] as const) {
    for (const path of [`/${direction}`, `/:token/${direction}`]) {
      app.post<CodecRoute>(path, { preValidation: requireJsonContentType }, (request) =>
        run(direction, request.body),
      );
    }
  }

  const address = await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
  return {
    url: address,
    uiEndpoint: (token) => `${address}/${encodeURIComponent(token)}`,
    close: () => app.close(),
  };
}

/**
 * A static token (header or path) passes when it matches; a bearer token that is not one is verified as an access
 * token when a verifier is configured. Throws a 401 rejection saying why.
 */
function authenticator(
  tokens: string[],
  accessTokens: AccessTokenVerifier | undefined,
): (request: FastifyRequest<CodecRoute>) => Promise<void> {
  const matches = tokenMatcher(tokens);
  const invalid = (reason: string) =>
    unauthorized(reason, 'Bearer realm="fedreport-codec", error="invalid_token"');
  return async (request) => {
    const bearer = bearerToken(request.headers.authorization);
    const token = bearer ?? request.params.token;
    if (token === undefined)
      throw unauthorized(
        accessTokens
          ? 'must be "Bearer <access token>" (the Temporal UI sends it with codec.passAccessToken)'
          : 'must be "Bearer <token>" (or the token as the first path segment)',
        'Bearer realm="fedreport-codec"',
      );
    if (matches(token)) return;
    if (bearer === undefined || !accessTokens) throw invalid('carries a token this service does not accept');
    try {
      await accessTokens(bearer);
    } catch (error) {
      if (error instanceof AccessTokenRejected) throw invalid(error.message);
      throw error;
    }
  };
}

/** One by one, so a payload the codec cannot read is named by its index. */
async function decodeEach(codec: PayloadCodec, payloads: Payload[]): Promise<Payload[]> {
  const decoded: Payload[] = [];
  for (const [index, payload] of payloads.entries()) {
    try {
      decoded.push(...(await codec.decode([payload])));
    } catch (error) {
      if (
        error instanceof UnknownCodecKeyError ||
        error instanceof PayloadDecryptionError ||
        error instanceof PlaintextPayloadError
      ) {
        throw new ApiRejection(
          422,
          'undecodable_payload',
          'a payload cannot be decoded with the keys of this server',
          [{ field: `payloads[${index}]`, reason: error.message }],
        );
      }
      throw error;
    }
  }
  return decoded;
}
