/**
 * The structured logger: pino, one JSON line per event on stderr, each line carrying the
 * request id and trace id of the request it was written for (`lib/observability/request-context`).
 *
 * No personal data by construction: callers pass a constant message and primitive fields, and
 * only the field names in `LOGGABLE_FIELDS` (ids, codes, counts, system names) are written with
 * their value; any other field is written as `[redacted]`, so a new call site that passes a
 * child's name, a request body or an upstream payload under a new name logs nothing of it.
 * Never log variables, headers or an upstream error whole (an axios error carries the
 * Authorization header).
 */
import pino from 'pino';
import { currentRequestContext, currentTraceId } from './observability/request-context';

type Level = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, string | number | boolean | null | undefined>;

/**
 * The field names whose values may be logged: none of them ever holds a child's (or anyone's)
 * personal data. Add a name here only when every value it will ever carry is safe.
 */
export const LOGGABLE_FIELDS: ReadonlySet<string> = new Set([
  'applied',
  'asOf',
  'attempts',
  'changes',
  'children',
  'code',
  'deliveryId',
  'durationMs',
  'enforcing',
  'events',
  'failure',
  'inFlight',
  'kind',
  'maxInFlight',
  'method',
  'migration',
  'networkCode',
  'operation',
  'page',
  'pages',
  'problems',
  'reason',
  'requestId',
  'route',
  'schema',
  'seed',
  'sessions',
  'signal',
  'since',
  'source',
  'status',
  'subgraph',
  'subscriptionId',
  'system',
  'url',
  'urn',
  'version',
  'workers',
]);

export const REDACTED = '[redacted]';
/** Longest string value written: a log line is not the place for a payload. */
const MAX_VALUE_LENGTH = 200;

const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

function threshold(): number {
  const configured = process.env.LOG_LEVEL as Level | undefined;
  if (configured && configured in ORDER) return ORDER[configured];
  return process.env.NODE_ENV === 'test' ? ORDER.error : ORDER.info;
}

function loggable(fields: LogFields | undefined): LogFields {
  const safe: LogFields = {};
  if (!fields) return safe;
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    if (!LOGGABLE_FIELDS.has(name)) safe[name] = REDACTED;
    else if (typeof value === 'string' && value.length > MAX_VALUE_LENGTH)
      safe[name] = `${value.slice(0, MAX_VALUE_LENGTH)}...`;
    else safe[name] = value;
  }
  return safe;
}

// Written through process.stderr (not a file descriptor), so the logs of a test are capturable.
const base = pino(
  {
    level: 'debug',
    messageKey: 'message',
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    mixin: () => {
      const requestId = currentRequestContext()?.requestId;
      const traceId = currentTraceId();
      return {
        ...(requestId === undefined ? {} : { requestId }),
        ...(traceId === undefined ? {} : { traceId }),
      };
    },
  },
  { write: (line: string) => process.stderr.write(line) },
);

function write(level: Level, message: string, fields?: LogFields): void {
  if (ORDER[level] < threshold()) return;
  base[level](loggable(fields), message);
}

export const logger = {
  debug: (message: string, fields?: LogFields) => write('debug', message, fields),
  info: (message: string, fields?: LogFields) => write('info', message, fields),
  warn: (message: string, fields?: LogFields) => write('warn', message, fields),
  error: (message: string, fields?: LogFields) => write('error', message, fields),
};
export type Logger = typeof logger;
