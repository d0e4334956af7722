/**
 * The simulator's logger, and the one rule that keeps patient data out of its logs: a `GPPROVIDER_<nhs>_<dob>_<surname>`
 * mailbox id *is* patient data, so logs name such a mailbox by a short hash of its id. The MESH client logs the mailbox
 * of every request, so its logger goes through the same rewrite.
 */
import crypto from 'node:crypto';
import type { MeshLogger } from '../../integrations/mesh/client';

/** The fields-first interface pino implements. */
export interface SimulatorLogger extends MeshLogger {
  info(fields: Record<string, unknown>, message: string): void;
}

export const silentLogger: SimulatorLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
};

/** A mailbox as logs may name it: unchanged, or `GPPROVIDER#<8 hex>` for a demographic address. */
export function mailboxLabel(mailbox: string): string {
  if (!/^GPPROVIDER_/i.test(mailbox)) return mailbox;
  return `GPPROVIDER#${crypto.createHash('sha256').update(mailbox.toUpperCase()).digest('hex').slice(0, 8)}`;
}

/** The MESH client's logger with its `mailbox` field relabelled. */
export function meshLoggerFor(logger: SimulatorLogger): MeshLogger {
  const relabel = (fields: Record<string, unknown>): Record<string, unknown> =>
    typeof fields.mailbox === 'string' ? { ...fields, mailbox: mailboxLabel(fields.mailbox) } : fields;
  return {
    debug: (fields, message) => logger.debug(relabel(fields), message),
    warn: (fields, message) => logger.warn(relabel(fields), message),
  };
}

/** An error as logs may show it: MESH and ITK3 errors name fields and reasons, never header values or content. */
export function errorFields(error: unknown): { error: string; reason: string } {
  return error instanceof Error
    ? { error: error.name, reason: error.message }
    : { error: typeof error, reason: String(error) };
}
