/**
 * The receiving-practice simulator: a stand-in for the GP systems of registered practices, for tests and the local
 * stack. It polls MESH mailboxes, validates each Send Document message, answers with ITK3 infrastructure and business
 * acknowledgements as configured (globally and per patient), and takes every message off the inbox. See
 * docs/receiving-practice-simulator.md.
 */
import { z } from 'zod';
import { createMeshClient, type MeshClient } from '../../integrations/mesh/client';
import {
  meshConfigSchema,
  parseMeshConfig,
  type MeshConfig,
  type MeshConfigInput,
} from '../../integrations/mesh/config';
import { odsCodeSchema } from '../../domain/snapshot';
import { fieldIssuesFromZod, ValidationError } from '../../domain/validation-error';
import { MESH_SANDBOX_MAILBOX_PASSWORD } from '../mesh-sandbox-defaults';
import type { Responder } from './acknowledgements';
import { startAdminServer } from './admin-server';
import { meshLoggerFor, silentLogger, type SimulatorLogger } from './logging';
import { MessageHandler, type PolledMailbox } from './message-handler';
import { runPollingLoop } from './polling-loop';
import { parseSimulatorBehaviour, type SimulatorBehaviour } from './response-policy';
import { SimulatorCounters, type SimulatorStats } from './stats';

/** One MESH environment for every mailbox: the MESH configuration without mailbox and password. */
export type MeshConnectionSettings = Omit<MeshConfigInput, 'mailbox' | 'password'>;

export interface ReceivingPracticeOptions {
  /** Shared connection settings (each mailbox then uses `mailboxPassword`), or a full configuration per mailbox. */
  mesh: MeshConnectionSettings | ((mailbox: string) => MeshConfig);
  /** Mailboxes to poll: the registered practices' own (MESH, or the local MESH router, delivers there); upper-cased. */
  mailboxes: string[];
  /** With shared connection settings: every mailbox's password. Default: mesh-sandbox's (`password`). */
  mailboxPassword?: string;
  /**
   * Answer from this mailbox instead of the one the message arrived in, as a practice answers from its own mailbox
   * whatever GPPROVIDER address the sender used. It then appears as the acknowledgements' source.endpoint and MESH
   * sender in place of the GPPROVIDER address (which carries patient details).
   */
  replyMailbox?: string;
  /** ODS code in the acknowledgements' header Organization. Default Y99999 (no real practice). */
  responderOdsCode?: string;
  /** Per polled mailbox, the practice that answers (e.g. `{X26ABC3: 'Y90003'}`); others use `responderOdsCode`. */
  responderOdsCodes?: Record<string, string>;
  /** Pause between inbox polls of each mailbox. Default 1000 ms (local and test use; real MESH asks for ≥ 5 min). */
  pollIntervalMs?: number;
  /** Default: every message gets 20013 + 30001. */
  behaviour?: SimulatorBehaviour;
  /** Admin endpoint port; default 0 (the OS picks one: read `adminUrl`). */
  adminPort?: number;
  /** Admin endpoint address; default 127.0.0.1 (it has no authentication). */
  adminHost?: string;
  /** pino-compatible. Never receives NHS numbers, names, dates of birth or GPPROVIDER mailbox ids. */
  logger?: SimulatorLogger;
}

export interface ReceivingPractice {
  /** Base URL of the admin endpoint (GET /stats, GET|PUT /behaviour, GET /health). */
  adminUrl: string;
  stats(): SimulatorStats;
  /** Replaces the whole behaviour; throws ValidationError naming each wrong field. */
  setBehaviour(behaviour: SimulatorBehaviour): void;
  /** Stops polling (delayed answers not yet due are dropped; their messages stay in MESH), closes the admin endpoint. */
  close(): Promise<void>;
}

/** ODS codes of the Y9xxxx test range; this one belongs to no practice in the examples or the PDS double. */
export const DEFAULT_RESPONDER_ODS_CODE = 'Y99999';
export const DEFAULT_POLL_INTERVAL_MS = 1000;

const mailboxId = meshConfigSchema.shape.mailbox;

const optionsSchema = z
  .object({
    mailboxes: z.array(mailboxId).min(1, 'needs at least one mailbox').max(1000),
    mailboxPassword: z.string().min(1).default(MESH_SANDBOX_MAILBOX_PASSWORD),
    replyMailbox: mailboxId.optional(),
    responderOdsCode: odsCodeSchema.default(DEFAULT_RESPONDER_ODS_CODE),
    responderOdsCodes: z.record(mailboxId, odsCodeSchema).default({}),
    pollIntervalMs: z
      .number()
      .int('must be a whole number')
      .min(10)
      .max(3_600_000)
      .default(DEFAULT_POLL_INTERVAL_MS),
    adminPort: z.number().int('must be a whole number').min(0).max(65_535).default(0),
    adminHost: z.string().min(1).default('127.0.0.1'),
  })
  .superRefine((options, ctx) => {
    options.mailboxes.forEach((mailbox, index) => {
      if (options.mailboxes.indexOf(mailbox) !== index) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['mailboxes', index],
          message: 'repeats an earlier mailbox',
        });
      }
    });
  });

/**
 * Checks every mailbox's credentials (a MESH handshake) before polling, so a missing mailbox or a wrong password
 * fails here rather than as endless poll errors.
 * @throws ValidationError (options, behaviour, MESH configuration), MeshError (handshake).
 */
export async function startReceivingPractice(options: ReceivingPracticeOptions): Promise<ReceivingPractice> {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success)
    throw new ValidationError('receiving-practice simulator options', fieldIssuesFromZod(parsed.error));
  const settings = parsed.data;
  const logger = options.logger ?? silentLogger;
  let behaviour = parseSimulatorBehaviour(options.behaviour ?? {});

  const configFor = (mailbox: string): MeshConfig =>
    typeof options.mesh === 'function'
      ? options.mesh(mailbox)
      : parseMeshConfig({ ...options.mesh, mailbox, password: settings.mailboxPassword });
  const clients = new Map<string, MeshClient>();
  const clientFor = (mailbox: string): MeshClient => {
    const client =
      clients.get(mailbox) ?? createMeshClient(configFor(mailbox), { logger: meshLoggerFor(logger) });
    clients.set(mailbox, client);
    return client;
  };
  const closeClients = () => Promise.all([...clients.values()].map((client) => client.close()));

  const polled: PolledMailbox[] = settings.mailboxes.map((id) => ({ id, client: clientFor(id) }));
  const replyVia = settings.replyMailbox
    ? { id: settings.replyMailbox, client: clientFor(settings.replyMailbox) }
    : undefined;
  try {
    await Promise.all([...clients.values()].map((client) => client.handshake()));
  } catch (error) {
    await closeClients();
    throw error;
  }

  const counters = new SimulatorCounters(settings.mailboxes);
  const handler = new MessageHandler({
    counters,
    behaviour: () => behaviour,
    responderFor: (mailbox): Responder => {
      const from = replyVia ?? mailbox;
      const odsCode = settings.responderOdsCodes[mailbox.id] ?? settings.responderOdsCode;
      return { odsCode, mailboxId: from.id, client: from.client };
    },
    logger,
  });
  const setBehaviour = (input: unknown): void => {
    behaviour = parseSimulatorBehaviour(input);
    logger.info({ mode: behaviour.default.mode, patientRules: behaviour.patients.size }, 'behaviour changed');
  };

  const admin = await startAdminServer({
    host: settings.adminHost,
    port: settings.adminPort,
    stats: () => counters.snapshot(),
    behaviour: () => behaviour,
    setBehaviour,
  }).catch(async (error: unknown) => {
    await closeClients();
    throw error;
  });

  const stop = new AbortController();
  const backgroundTasks = new Set<Promise<void>>();
  const track = (task: Promise<void>): void => {
    backgroundTasks.add(task);
    void task.finally(() => backgroundTasks.delete(task));
  };
  const loops = polled.map((mailbox) =>
    runPollingLoop({
      mailbox,
      intervalMs: settings.pollIntervalMs,
      handler,
      counters,
      logger,
      signal: stop.signal,
      track,
    }),
  );
  logger.info(
    { mailboxes: polled.length, adminUrl: admin.url, pollIntervalMs: settings.pollIntervalMs },
    'receiving-practice simulator started',
  );

  let closing: Promise<void> | undefined;
  return {
    adminUrl: admin.url,
    stats: () => counters.snapshot(),
    setBehaviour,
    close: () => {
      closing ??= (async () => {
        stop.abort();
        await Promise.all(loops);
        await Promise.all(backgroundTasks);
        await Promise.all([admin.close(), closeClients()]);
        logger.info({}, 'receiving-practice simulator stopped');
      })();
      return closing;
    },
  };
}
