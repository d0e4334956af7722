/**
 * Worker settings from the environment, validated at start-up: a wrong value stops the worker with the variable's
 * name and the reason. Connection, codec keys, MESH and PDS settings are parsed by their own modules.
 */
import path from 'node:path';
import { z } from 'zod';
import { durationSchema } from '../integrations/federation/duration';
import { ValidationError, fieldIssuesFromZod } from '../domain/validation-error';
import { booleanText, integerText, logLevelText, optionalText, portText } from '../common/env-fields';
import { readSecretJsonFile } from '../common/secret-file';
import { outboundUrlSchema } from '../common/outbound-http';
import { DEFAULT_QUARANTINE_DIR, QuarantineStore } from '../integrations/mesh/quarantine-store';
import { DEFAULT_INBOX_POLICY, type InboxPolicy } from '../activities/inbox/inbox-policy';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const MIB = 1024 * 1024;

const workerEnvSchema = z.object({
  FEDREPORT_FEDERATION_FILE: z.string().min(1, 'is required: the federation and practice settings file'),
  FEDREPORT_MESH_WORKFLOW_ID: z
    .enum(['GPFED_CONSULT_REPORT', 'GPCONNECT_SEND_DOCUMENT'])
    .default('GPFED_CONSULT_REPORT'),
  FEDREPORT_MEX_TO_DOB_FORMAT: z.enum(['YYYYMMDD', 'DDMMYYYY']).default('YYYYMMDD'),
  /** JSON object mailbox → password, for practices whose mailbox password differs from FEDREPORT_MESH_PASSWORD. */
  FEDREPORT_MESH_MAILBOX_PASSWORDS_FILE: optionalText,
  FEDREPORT_INFRASTRUCTURE_ACK_WINDOW: durationSchema({ min: 1_000, max: 30 * DAY }).default('4h'),
  FEDREPORT_BUSINESS_ACK_WINDOW: durationSchema({ min: 1_000, max: 30 * DAY }).default('120h'),
  FEDREPORT_IDLE_RETENTION: durationSchema({ min: 1_000, max: 365 * DAY }).default('720h'),
  /** MESH asks senders to poll no more often than every 5 minutes; tests and the demo shorten it. */
  FEDREPORT_INBOX_POLL_INTERVAL: durationSchema({ min: 1_000, max: DAY }).default('5m'),
  FEDREPORT_ALERT_WEBHOOK_URL: optionalText.pipe(outboundUrlSchema('must be a URL').optional()),
  FEDREPORT_METRICS_PORT: portText.optional(),
  /** Where unreadable, unmatched, too large or failing MESH messages are kept for operators (PHI-bearing). */
  FEDREPORT_QUARANTINE_DIR: z.string().min(1).default(DEFAULT_QUARANTINE_DIR),
  /** Failed attempts at one inbox message, counted across polls, before it is quarantined. */
  FEDREPORT_INBOX_MAX_ATTEMPTS: integerText(1, 100).default('5'),
  /** How long an answer no report claims waits in the inbox (a just-sent report may not be searchable yet). */
  FEDREPORT_INBOX_UNMATCHED_GRACE: durationSchema({ min: 0, max: 5 * DAY }).default('1h'),
  /** Largest ITK3 answer read (acks are a few KB); a larger one is quarantined from its headers alone. */
  FEDREPORT_INBOX_ACK_MAX_BYTES: integerText(1_024, 100 * MIB).default(String(MIB)),
  /**
   * Take Send Document DATA messages and receive them (docs/receiving.md). Off by default: taking a message from a
   * mailbox the practice's own clinical system also reads would keep it from that system.
   */
  FEDREPORT_INBOX_RECEIVE_DOCUMENTS: booleanText.default('false'),
  /** Largest document taken (kept whole in the archive database until decided); a larger one stays in MESH. */
  FEDREPORT_INBOX_DOCUMENT_MAX_BYTES: integerText(MIB, 20 * 1024 * MIB).default(String(DEFAULT_INBOX_POLICY.limits.document.maxBytes)),
  FEDREPORT_INBOX_DOCUMENT_MAX_CHUNKS: integerText(1, 10_000).default('20'),
  /** A mailbox holding more quarantined messages than this raises a backlog alert (resolved when back at or under). */
  FEDREPORT_INBOX_QUARANTINE_ALERT_ABOVE: integerText(0, 1_000_000).default(String(DEFAULT_INBOX_POLICY.quarantineAlertAbove)),
  /** Messages of one inbox poll handled at once. */
  FEDREPORT_INBOX_MESSAGES_IN_FLIGHT: integerText(1, 64).default(String(DEFAULT_INBOX_POLICY.messagesInFlight)),
  FEDREPORT_LOG_LEVEL: logLevelText.default('info'),
  /**
   * Encounters kept in memory between workflow tasks (about 0.2 MiB each). Most encounters sleep for hours, so a
   * bounded cache keeps the worker's memory flat however many are open; an evicted one replays its short history
   * when its timer fires (docs/performance.md, scale).
   */
  FEDREPORT_MAX_CACHED_WORKFLOWS: integerText(2, 1_000_000).default('2000'),
});

export type WorkerConfig = z.output<typeof workerEnvSchema> & {
  meshMailboxPasswords: Record<string, string>;
};

export function workerConfigFromEnv(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const parsed = workerEnvSchema.safeParse(env);
  if (!parsed.success)
    throw new ValidationError('worker configuration (environment)', fieldIssuesFromZod(parsed.error));
  const config = parsed.data;
  return {
    ...config,
    FEDREPORT_QUARANTINE_DIR: path.resolve(config.FEDREPORT_QUARANTINE_DIR),
    meshMailboxPasswords: config.FEDREPORT_MESH_MAILBOX_PASSWORDS_FILE
      ? readPasswords(config.FEDREPORT_MESH_MAILBOX_PASSWORDS_FILE)
      : {},
  };
}

function readPasswords(file: string): Record<string, string> {
  const parsed = z
    .record(z.string().min(1))
    .safeParse(readSecretJsonFile(file, 'FEDREPORT_MESH_MAILBOX_PASSWORDS_FILE'));
  if (!parsed.success) {
    throw new ValidationError('FEDREPORT_MESH_MAILBOX_PASSWORDS_FILE', fieldIssuesFromZod(parsed.error));
  }
  return Object.fromEntries(
    Object.entries(parsed.data).map(([mailbox, password]) => [mailbox.toUpperCase(), password]),
  );
}

/** The inbox policy the settings describe (activities/inbox/inbox-policy.ts). */
export function inboxPolicyOf(config: WorkerConfig): InboxPolicy {
  return {
    receiveDocuments: config.FEDREPORT_INBOX_RECEIVE_DOCUMENTS ?? false,
    maxAttempts: config.FEDREPORT_INBOX_MAX_ATTEMPTS,
    unmatchedGraceMs: config.FEDREPORT_INBOX_UNMATCHED_GRACE,
    quarantineAlertAbove: config.FEDREPORT_INBOX_QUARANTINE_ALERT_ABOVE,
    messagesInFlight: config.FEDREPORT_INBOX_MESSAGES_IN_FLIGHT,
    limits: {
      ack: { ...DEFAULT_INBOX_POLICY.limits.ack, maxBytes: config.FEDREPORT_INBOX_ACK_MAX_BYTES },
      report: DEFAULT_INBOX_POLICY.limits.report,
      document: {
        maxBytes: config.FEDREPORT_INBOX_DOCUMENT_MAX_BYTES,
        maxChunks: config.FEDREPORT_INBOX_DOCUMENT_MAX_CHUNKS,
      },
    },
  };
}

/**
 * Start-up check: the quarantine folder exists or can be created, and a file can be written there. Without it the
 * first odd message would fail and wait in the inbox; better that the worker refuses to start, naming the variable.
 */
export async function checkQuarantineDir(config: WorkerConfig): Promise<void> {
  const dir = config.FEDREPORT_QUARANTINE_DIR;
  try {
    await new QuarantineStore(dir).checkWritable();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new ValidationError('worker configuration (environment)', [
      {
        field: 'FEDREPORT_QUARANTINE_DIR',
        reason: `cannot write to ${dir} (${code}): make it a folder the worker can write`,
      },
    ]);
  }
}
