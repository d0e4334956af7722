/**
 * Worker settings from the environment, validated at start-up: a wrong value stops the worker with the variable's
 * name and the reason. Connection, codec keys, MESH and PDS settings are parsed by their own modules.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { durationSchema } from '../integrations/federation/duration';
import { ValidationError, fieldIssuesFromZod } from '../domain/validation-error';
import { integerText, logLevelText, optionalText, portText } from '../common/env-fields';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

const workerEnvSchema = z.object({
  FEDREPORT_FEDERATION_FILE: z.string().min(1, 'is required: the federation and practice settings file'),
  FEDREPORT_MESH_WORKFLOW_ID: z.enum(['GPFED_CONSULT_REPORT', 'GPCONNECT_SEND_DOCUMENT']).default('GPFED_CONSULT_REPORT'),
  FEDREPORT_MEX_TO_DOB_FORMAT: z.enum(['YYYYMMDD', 'DDMMYYYY']).default('YYYYMMDD'),
  /** JSON object mailbox → password, for practices whose mailbox password differs from FEDREPORT_MESH_PASSWORD. */
  FEDREPORT_MESH_MAILBOX_PASSWORDS_FILE: optionalText,
  FEDREPORT_INFRASTRUCTURE_ACK_WINDOW: durationSchema({ min: 1_000, max: 30 * DAY }).default('4h'),
  FEDREPORT_BUSINESS_ACK_WINDOW: durationSchema({ min: 1_000, max: 30 * DAY }).default('120h'),
  FEDREPORT_IDLE_RETENTION: durationSchema({ min: 1_000, max: 365 * DAY }).default('720h'),
  /** MESH asks senders to poll no more often than every 5 minutes; tests and the demo shorten it. */
  FEDREPORT_INBOX_POLL_INTERVAL: durationSchema({ min: 1_000, max: DAY }).default('5m'),
  FEDREPORT_ALERT_WEBHOOK_URL: optionalText.pipe(z.string().url('must be a URL').optional()),
  FEDREPORT_METRICS_PORT: portText.optional(),
  FEDREPORT_QUARANTINE_DIR: z.string().min(1).default('quarantine'),
  FEDREPORT_LOG_LEVEL: logLevelText.default('info'),
  /**
   * Encounters kept in memory between workflow tasks (about 0.2 MiB each). Most encounters sleep for hours, so a
   * bounded cache keeps the worker's memory flat however many are open; an evicted one replays its short history
   * when its timer fires (docs/performance.md, scale).
   */
  FEDREPORT_MAX_CACHED_WORKFLOWS: integerText(2, 1_000_000).default('2000'),
});

export type WorkerConfig = z.output<typeof workerEnvSchema> & { meshMailboxPasswords: Record<string, string> };

export function workerConfigFromEnv(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const parsed = workerEnvSchema.safeParse(env);
  if (!parsed.success) throw new ValidationError('worker configuration (environment)', fieldIssuesFromZod(parsed.error));
  const config = parsed.data;
  return {
    ...config,
    FEDREPORT_QUARANTINE_DIR: path.resolve(config.FEDREPORT_QUARANTINE_DIR),
    meshMailboxPasswords: config.FEDREPORT_MESH_MAILBOX_PASSWORDS_FILE ? readPasswords(config.FEDREPORT_MESH_MAILBOX_PASSWORDS_FILE) : {},
  };
}

function readPasswords(file: string): Record<string, string> {
  const parsed = z.record(z.string().min(1)).safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
  if (!parsed.success) {
    throw new ValidationError('FEDREPORT_MESH_MAILBOX_PASSWORDS_FILE', fieldIssuesFromZod(parsed.error));
  }
  return Object.fromEntries(Object.entries(parsed.data).map(([mailbox, password]) => [mailbox.toUpperCase(), password]));
}
