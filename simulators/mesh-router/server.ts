/**
 * A local MESH that routes like the real one: an HTTP service in front of NHS England's mesh-sandbox that any MESH
 * client can use. GPPROVIDER sends on the GP Connect and transfer-of-care workflows are resolved through the PDS
 * double and the endpoint directory (routed-sends.ts); endpoint lookups are answered from the directory; every other
 * request goes to mesh-sandbox unchanged, authentication included. See docs/mesh-router.md.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { z } from 'zod';
import { fieldIssuesFromZod, ValidationError } from '../../domain/validation-error';
import { PdsError } from '../../integrations/pds/errors';
import { listen } from '../http-server';
import { errorFields, silentLogger, type SimulatorLogger } from '../receiving-practice/logging';
import type { EndpointDirectory } from './endpoint-directory';
import { endpointLookupAnswer } from './endpoint-lookup';
import { isGpProviderSend } from './gp-provider-address';
import { createPdsTracer } from './pds-trace';
import { header, RoutedSends } from './routed-sends';
import { MESH_ROUTER_HOLDING_MAILBOX, sandboxAdmin } from './sandbox-admin';
import { createUpstream, type Upstream } from './upstream';

export interface MeshRouterOptions {
  /** mesh-sandbox's base URL. */
  sandboxUrl: string;
  /** PDS FHIR R4 base URL (the PDS double's `url`). */
  pdsUrl: string;
  directory: EndpointDirectory;
  /** Date of birth order in GPPROVIDER addresses; MESH documents YYYYMMDD (the default). */
  dobFormat?: 'YYYYMMDD' | 'DDMMYYYY';
  /** The sandbox mailbox unresolvable sends are held in; it must exist. Default MESH_ROUTER_HOLDING_MAILBOX. */
  holdingMailbox?: string;
  /** 0 (the default): the OS picks a free port. */
  port?: number;
  host?: string;
  /** Never receives GPPROVIDER addresses, subjects or bodies: message ids, workflow ids, mailboxes and codes. */
  logger?: SimulatorLogger;
}

export interface MeshRouter {
  /** Use as the MESH URL, as for mesh-sandbox itself. */
  url: string;
  /** Resolves when the REPORTs of failed sends so far are in the senders' inboxes (or failed). */
  settled(): Promise<void>;
  close(): Promise<void>;
}

const optionsSchema = z.object({
  sandboxUrl: z
    .string()
    .url()
    .transform((url) => url.replace(/\/+$/, '')),
  pdsUrl: z.string().url(),
  dobFormat: z.enum(['YYYYMMDD', 'DDMMYYYY']).default('YYYYMMDD'),
  holdingMailbox: z
    .string()
    .regex(/^[A-Z0-9_]{1,100}$/, 'must be an upper-case mailbox id')
    .default(MESH_ROUTER_HOLDING_MAILBOX),
  port: z.number().int().min(0).max(65_535).default(0),
  host: z.string().min(1).default('127.0.0.1'),
});

const LOOKUP_PATH = /^\/messageexchange\/endpointlookup\/([^/]+)\/([^/]+)$/;
const OUTBOX_PATH = /^\/messageexchange\/([^/]+)\/outbox$/;
const CHUNK_PATH = /^\/messageexchange\/[^/]+\/outbox\/([^/]+)\/(\d+)$/;

/** @throws ValidationError (options), Error when the holding mailbox is missing from the sandbox. */
export async function startMeshRouter(options: MeshRouterOptions): Promise<MeshRouter> {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) throw new ValidationError('MESH router options', fieldIssuesFromZod(parsed.error));
  const settings = parsed.data;
  const logger = options.logger ?? silentLogger;
  const admin = sandboxAdmin(settings.sandboxUrl);
  await admin.requireMailbox(settings.holdingMailbox).catch((error: unknown) => {
    throw new Error(
      `the MESH router needs mailbox ${settings.holdingMailbox} in mesh-sandbox: ${errorFields(error).reason}`,
    );
  });
  const upstream = createUpstream(settings.sandboxUrl);
  const sends = new RoutedSends({
    upstream,
    admin,
    routing: {
      trace: createPdsTracer({ pdsUrl: settings.pdsUrl }),
      directory: options.directory,
      dobFormat: settings.dobFormat,
    },
    holdingMailbox: settings.holdingMailbox,
    logger,
  });
  const handle = requestHandler({ upstream, sends, directory: options.directory, logger });
  const listening = await listen(
    http.createServer((req, res) => void handle(req, res)),
    settings.port,
    settings.host,
  );
  logger.info({ url: listening.url }, 'MESH router started');
  return {
    url: listening.url,
    settled: () => sends.settled(),
    close: async () => {
      await listening.close();
      await sends.settled();
      await upstream.close();
    },
  };
}

interface HandlerDependencies {
  upstream: Upstream;
  sends: RoutedSends;
  directory: EndpointDirectory;
  logger: SimulatorLogger;
}

function requestHandler(deps: HandlerDependencies) {
  const route = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const path = new URL(request.url ?? '/', 'http://router').pathname;
    const method = request.method ?? 'GET';
    const lookup = method === 'GET' ? LOOKUP_PATH.exec(path) : null;
    if (lookup) {
      const [ods, workflow] = [decodeURIComponent(lookup[1]!), decodeURIComponent(lookup[2]!)];
      const answer = endpointLookupAnswer(deps.directory, ods, workflow, header(request, 'accept'));
      return sendJson(response, 200, answer);
    }
    const outbox = method === 'POST' ? OUTBOX_PATH.exec(path) : null;
    if (outbox && isGpProviderSend(header(request, 'mex-to'), header(request, 'mex-workflowid'))) {
      return deps.sends.send(request, response, decodeURIComponent(outbox[1]!).toUpperCase());
    }
    const chunk = method === 'POST' ? CHUNK_PATH.exec(path) : null;
    if (chunk && deps.sends.isHeld(chunk[1]!)) {
      return deps.sends.chunk(request, response, chunk[1]!, Number(chunk[2]));
    }
    return deps.upstream.pipe(request, response);
  };
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    try {
      await route(request, response);
    } catch (error) {
      request.resume();
      deps.logger.warn(errorFields(error), 'MESH router request failed');
      if (!response.headersSent) sendJson(response, error instanceof PdsError ? 503 : 502, meshError(error));
      else response.destroy();
    }
  };
}

/** A MESH v2 error body; PdsError messages name "the patient", never the NHS number. */
function meshError(error: unknown): object {
  const what = error instanceof PdsError ? 'could not trace the GPPROVIDER address in PDS' : 'failed';
  return { detail: [{ event: 'SEND', code: '', msg: `MESH router ${what}: ${errorFields(error).reason}` }] };
}

function sendJson(response: ServerResponse, status: number, body: object): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}
