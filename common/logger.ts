/**
 * Structured logs (pino) for fedreport processes. Code never logs snapshots or payloads; the redaction list is the
 * second line of defence for fields that could carry PHI or credentials if a log call is careless.
 */
import pino, { type DestinationStream, type Level, type Logger } from 'pino';

export const REDACTED_LOG_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'authorization',
  'token',
  'body',
  'req.body',
  'payloads',
  'snapshot',
  'patient',
  '*.body',
  '*.payloads',
  '*.snapshot',
  '*.patient',
  '*.nhsNumber',
];

export function createLogger(
  name: string,
  level: Level | 'silent' = 'info',
  destination?: DestinationStream,
): Logger {
  const options = { name, level, redact: { paths: REDACTED_LOG_PATHS, censor: '[redacted]' } };
  return destination ? pino(options, destination) : pino(options);
}
