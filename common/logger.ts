/**
 * Structured logs (pino) for fedreport processes. Code never logs snapshots or payloads; redaction is the second
 * line of defence for fields that could carry PHI or credentials if a log call is careless: every argument of a log
 * call and every child logger's bindings go through `redactForLog` (common/log-redaction.ts), at any depth.
 */
import pino, {
  type Bindings,
  type ChildLoggerOptions,
  type DestinationStream,
  type Level,
  type Logger,
  type LoggerOptions,
} from 'pino';
import { LOG_CENSOR, redactForLog } from './log-redaction';

/** An error's own fields (pino copies them into the line) redacted; its type, message and stack kept. */
function serializeError(error: Error): unknown {
  const serialized = pino.stdSerializers.err(error);
  const { type, message, stack } = serialized;
  return { ...(redactForLog({ ...serialized }) as object), type, message, stack };
}

const redactingOptions: Pick<LoggerOptions, 'hooks' | 'serializers' | 'redact'> = {
  // Headers are not walked by the hook: the request serializer makes them after it ran.
  redact: { paths: ['req.headers.authorization', 'req.headers.cookie'], censor: LOG_CENSOR },
  serializers: { err: serializeError },
  hooks: {
    // The merging object and interpolation arguments (`logger.info('%j', snapshot)`) alike.
    logMethod(args, method) {
      method.apply(this, args.map((arg) => redactForLog(arg)) as Parameters<typeof method>);
    },
  },
};

export function createLogger(
  name: string,
  level: Level | 'silent' = 'info',
  destination?: DestinationStream,
): Logger {
  const options: LoggerOptions = { name, level, ...redactingOptions };
  return redactingChildBindings(destination ? pino(options, destination) : pino(options));
}

/**
 * Child loggers' bindings redacted too. pino applies no formatter to them, so `child` is wrapped; every child
 * (fastify's per-request loggers included) inherits the wrapper from the root through the prototype chain.
 */
function redactingChildBindings(root: Logger): Logger {
  // eslint-disable-next-line @typescript-eslint/unbound-method -- unbound on purpose: called with each parent as `this`
  const child = root.child;
  const redactingChild = function (this: Logger, bindings: Bindings, options?: ChildLoggerOptions): unknown {
    return Reflect.apply(child, this, [redactForLog(bindings), options]);
  };
  Object.defineProperty(root, 'child', { value: redactingChild, writable: true, configurable: true });
  return root;
}
