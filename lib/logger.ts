/**
 * A small structured logger: one JSON line per event on stderr.
 *
 * Log fields are typed as primitives and callers pass ids and codes only. Never log a
 * child's personal data, a request body, variables, headers or an upstream payload: an
 * axios error, for one, carries the Authorization header.
 */
type Level = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, string | number | boolean | null | undefined>;

const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

function threshold(): number {
  const configured = process.env.LOG_LEVEL as Level | undefined;
  if (configured && configured in ORDER) return ORDER[configured];
  return process.env.NODE_ENV === 'test' ? ORDER.error : ORDER.info;
}

function write(level: Level, message: string, fields?: LogFields): void {
  if (ORDER[level] < threshold()) return;
  const line = { time: new Date().toISOString(), level, message, ...fields };
  process.stderr.write(`${JSON.stringify(line)}\n`);
}

export const logger = {
  debug: (message: string, fields?: LogFields) => write('debug', message, fields),
  info: (message: string, fields?: LogFields) => write('info', message, fields),
  warn: (message: string, fields?: LogFields) => write('warn', message, fields),
  error: (message: string, fields?: LogFields) => write('error', message, fields),
};
export type Logger = typeof logger;
