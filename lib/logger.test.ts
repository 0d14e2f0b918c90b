/**
 * The logger writes only allow-listed field names with their value (any other as `[redacted]`),
 * and every line written inside a request context carries its request id and trace id.
 */
import { logger, REDACTED } from './logger';
import { withRequestContext } from './observability/request-context';

function capture(write: () => void): Array<Record<string, unknown>> {
  const written: string[] = [];
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: unknown) => {
    written.push(String(chunk));
    return true;
  });
  const level = process.env.LOG_LEVEL;
  process.env.LOG_LEVEL = 'debug';
  try {
    write();
  } finally {
    spy.mockRestore();
    if (level === undefined) delete process.env.LOG_LEVEL;
    else process.env.LOG_LEVEL = level;
  }
  return written
    .join('')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('logger', () => {
  it('writes allow-listed fields and redacts any other', () => {
    const [line] = capture(() =>
      logger.warn('upstream call failed', {
        system: 'finance',
        status: 503,
        name: 'Ada Lovelace',
        dateOfBirth: '2012-03-04',
        upn: 'A123456789012',
      }),
    );
    expect(line).toMatchObject({
      level: 'warn',
      message: 'upstream call failed',
      system: 'finance',
      status: 503,
      name: REDACTED,
      dateOfBirth: REDACTED,
      upn: REDACTED,
    });
    expect(JSON.stringify(line)).not.toMatch(/Ada|Lovelace|2012-03-04|A123456789012/);
  });

  it('cuts long values short', () => {
    const [line] = capture(() => logger.info('x', { reason: 'y'.repeat(1000) }));
    expect(String(line?.reason).length).toBeLessThan(210);
  });

  it('stamps each line with the request id and trace id of its request', () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const lines = capture(() => {
      withRequestContext({ requestId: 'req-000000001', traceId }, () => logger.info('inside'));
      logger.info('outside');
    });
    expect(lines[0]).toMatchObject({ message: 'inside', requestId: 'req-000000001', traceId });
    expect(lines[1]?.requestId).toBeUndefined();
  });

  it('writes nothing below the configured level', () => {
    const written: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: unknown) => {
      written.push(String(chunk));
      return true;
    });
    const level = process.env.LOG_LEVEL;
    process.env.LOG_LEVEL = 'warn';
    try {
      logger.info('quiet');
      logger.warn('loud');
    } finally {
      spy.mockRestore();
      if (level === undefined) delete process.env.LOG_LEVEL;
      else process.env.LOG_LEVEL = level;
    }
    expect(written.join('')).not.toContain('quiet');
    expect(written.join('')).toContain('loud');
  });
});
