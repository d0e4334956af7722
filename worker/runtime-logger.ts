/**
 * The Temporal Runtime's logs (the SDK's own and, forwarded, SDK Core's) through the process's pino logger, so
 * they carry the same format and pass the same redaction as every other line (common/logger.ts). Without it the
 * Runtime writes to stderr on its own, past the redaction.
 */
import { Runtime, type LogLevel, type LogMetadata, type Logger as TemporalLogger } from '@temporalio/worker';
import type { Level, Logger } from 'pino';

const PINO_LEVEL_OF: Record<LogLevel, Level> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/** A Temporal Logger writing to `logger` at the matching level, with the Runtime's metadata as fields. */
export function pinoTemporalLogger(logger: Logger): TemporalLogger {
  const log = (level: LogLevel, message: string, meta?: LogMetadata): void =>
    logger[PINO_LEVEL_OF[level]]({ ...meta }, message);
  return {
    log,
    trace: (message, meta) => log('TRACE', message, meta),
    debug: (message, meta) => log('DEBUG', message, meta),
    info: (message, meta) => log('INFO', message, meta),
    warn: (message, meta) => log('WARN', message, meta),
    error: (message, meta) => log('ERROR', message, meta),
  };
}

/**
 * How verbose Core may be: warnings and errors as before, more only when the process logs at debug or trace (Core
 * is chatty: its info level reports every poll).
 */
function coreLevelFor(level: Level | 'silent'): LogLevel {
  if (level === 'trace') return 'TRACE';
  return level === 'debug' ? 'DEBUG' : 'WARN';
}

/** Installs the process's one Runtime with its logs forwarded to `logger`; `metricsPort` serves Prometheus metrics. */
export function installRuntime(logger: Logger, options: { metricsPort?: number } = {}): void {
  const level = logger.level as Level | 'silent';
  Runtime.install({
    logger: pinoTemporalLogger(logger.child({ component: 'temporal' })),
    telemetryOptions: {
      logging: { filter: { core: coreLevelFor(level), other: 'ERROR' }, forward: {} },
      ...(options.metricsPort !== undefined && {
        metrics: { prometheus: { bindAddress: `127.0.0.1:${options.metricsPort}` } },
      }),
    },
  });
}
