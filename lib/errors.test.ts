/**
 * The one list of public error codes, and lib/errors' masking (what a subgraph answers with;
 * the gateway adds gateway/hardening/error-masking.ts on top).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import {
  ErrorCode,
  PublicError,
  REQUEST_ERROR_CODES,
  UpstreamUnavailableError,
  badUserInput,
  defaultMessage,
  forbidden,
  formatError,
  isErrorCode,
} from './errors';

const ROOT = join(__dirname, '..');
/** Not CLA Graph's answers: the council systems' stand-ins, tests, benchmarks, generated data. */
const NOT_PRODUCTION = new Set([
  'node_modules',
  'simulators',
  'tests',
  'bench',
  'data',
  'coverage',
]);

function productionSources(dir = ROOT): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (dir === ROOT && NOT_PRODUCTION.has(entry.name)) continue;
      files.push(...productionSources(path));
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
      files.push(path);
    }
  }
  return files;
}

/** Places a code is written as a string rather than as `ErrorCode.X`. */
const LITERAL_CODE_PATTERNS = [
  /\bcode\s*(?:===|!==|:)\s*['"`]([A-Z][A-Z0-9_]+)['"`]/g, // { code: 'X' }, code === 'X'
  /\bsendError\([^,]+,\s*\d{3},\s*['"`]([A-Z][A-Z0-9_]+)['"`]/g, // sendError(res, 400, 'X')
  /\bnew PublicError\(\s*['"`]([A-Z][A-Z0-9_]+)['"`]/g,
];
/**
 * A code held in a module's own constant (`{ code: QUERY_TOO_COMPLEX }`, not `ErrorCode.X`),
 * looked for in the modules that write or read GraphQL errors (others have codes of their own,
 * such as a report's bands).
 */
const OWN_CODE_CONSTANT =
  /\b(?:code\s*(?:===|!==|:)|sendError\([^,]+,\s*\d{3},)\s*([A-Z][A-Z0-9_]+)\b(?!\s*\.)/g;
const writesErrors = (source: string): boolean => /\bextensions\b|\bsendError\(/.test(source);

function literalCodes(source: string): string[] {
  return LITERAL_CODE_PATTERNS.flatMap((pattern) =>
    [...source.matchAll(pattern)].map((match) => match[1] as string),
  );
}

describe('ErrorCode, the one list of public codes', () => {
  it('holds our codes, the safelist refusal and the request codes Apollo Server answers with', () => {
    for (const code of [
      'UNAUTHENTICATED',
      'FORBIDDEN',
      'NOT_FOUND',
      'BAD_USER_INPUT',
      'UPSTREAM_UNAVAILABLE',
      'RATE_LIMITED',
      'QUERY_TOO_COMPLEX',
      'OPERATION_NOT_ALLOWED',
      'PAYLOAD_TOO_LARGE',
      'OVERLOADED',
      'AUDIT_UNAVAILABLE',
      'INTERNAL_SERVER_ERROR',
      'BAD_REQUEST',
      'GRAPHQL_PARSE_FAILED',
      'GRAPHQL_VALIDATION_FAILED',
    ]) {
      expect(isErrorCode(code)).toBe(true);
    }
    for (const [key, value] of Object.entries(ErrorCode)) expect(value).toBe(key);
    for (const code of REQUEST_ERROR_CODES) expect(isErrorCode(code)).toBe(true);
    expect(isErrorCode('toString')).toBe(false);
    expect(isErrorCode('SERVICE_UNAVAILABLE')).toBe(false);
  });

  it('has a safe standard text for every code', () => {
    for (const code of Object.values(ErrorCode)) {
      expect(defaultMessage(code)).toMatch(/^[A-Z][^\n]*\.$/);
      expect(new PublicError(code).message).toBe(defaultMessage(code));
    }
  });

  it('finds the literal codes it is looking for (so the scan below can fail)', () => {
    const sample = `
      res.json({ errors: [{ message: 'x', extensions: { code: 'NOT_A_CODE' } }] });
      if (formatted.extensions?.code === "ALSO_NOT") return;
      sendError(res, 400, 'THIRD_ONE', 'text');
      throw new PublicError('FOURTH_ONE');
      return { message, extensions: { code: MY_OWN_CODE } };
      return { message, extensions: { code: ErrorCode.FORBIDDEN } };
      sendError(res, 503, OVERLOADED_TOO);`;
    expect(literalCodes(sample)).toEqual(['NOT_A_CODE', 'ALSO_NOT', 'THIRD_ONE', 'FOURTH_ONE']);
    expect(writesErrors(sample)).toBe(true);
    expect([...sample.matchAll(OWN_CODE_CONSTANT)].map((match) => match[1])).toEqual([
      'MY_OWN_CODE',
      'OVERLOADED_TOO',
    ]);
  });

  it('is what every module answers with: no code written as a string outside it, none unknown', () => {
    const files = productionSources();
    expect(files.map((file) => relative(ROOT, file))).toEqual(
      expect.arrayContaining([
        'gateway/hardening/error-masking.ts',
        'gateway/hardening/safelist.ts',
        'gateway/auth/authenticate.ts',
        'lib/graphql/subgraph-server.ts',
      ]),
    );
    const unknown: string[] = [];
    const literal: string[] = [];
    const ownConstants: string[] = [];
    for (const file of files) {
      const name = relative(ROOT, file);
      const source = readFileSync(file, 'utf8');
      for (const code of literalCodes(source)) {
        literal.push(`${name}: '${code}'`);
        if (!isErrorCode(code)) unknown.push(`${name}: '${code}'`);
      }
      if (!writesErrors(source)) continue;
      for (const match of source.matchAll(OWN_CODE_CONSTANT))
        ownConstants.push(`${name}: ${match[1]}`);
    }
    expect(unknown).toEqual([]);
    // Written as ErrorCode.X, the type checker holds every use to the list.
    expect(literal).toEqual([]);
    expect(ownConstants).toEqual([]);
  });
});

describe('the error helpers', () => {
  it('attach the code to a message written for the caller', () => {
    expect(badUserInput('first must be 1..500').extensions.code).toBe('BAD_USER_INPUT');
    expect(forbidden().message).toBe('Not authorised.');
    expect(forbidden().extensions.code).toBe('FORBIDDEN');
    const upstream = new UpstreamUnavailableError('education');
    expect(upstream.message).toBe('The education system is unavailable; try again later.');
    expect(upstream.extensions.code).toBe('UPSTREAM_UNAVAILABLE');
  });
});

/** What Apollo Server hands formatError: the formatted error and the original. */
const format = (error: GraphQLError): GraphQLFormattedError => formatError(error.toJSON(), error);

describe('formatError', () => {
  it('keeps our codes with their message and path, and drops every other extension', () => {
    const error = new GraphQLError('No such child.', {
      path: ['child'],
      extensions: {
        code: 'NOT_FOUND',
        stacktrace: ['Error: No such child.', '    at resolve (/app/resolvers.ts:10:5)'],
        serviceName: 'social-care',
        exception: { sql: 'select * from child' },
      },
    });
    expect(format(error)).toEqual({
      message: 'No such child.',
      path: ['child'],
      extensions: { code: 'NOT_FOUND' },
    });
  });

  it.each(Object.values(ErrorCode).filter((code) => code !== 'INTERNAL_SERVER_ERROR'))(
    'passes %s on',
    (code) => {
      const formatted = format(new GraphQLError('Our text.', { extensions: { code } }));
      expect(formatted.extensions).toEqual({ code });
      expect(formatted.message).toBe('Our text.');
    },
  );

  it('keeps a request error’s text (it is about the query) but no path', () => {
    const formatted = format(
      new GraphQLError('Syntax Error: Expected Name, found <EOF>.', {
        path: ['x'],
        extensions: { code: 'GRAPHQL_PARSE_FAILED' },
      }),
    );
    expect(formatted).toEqual({
      message: 'Syntax Error: Expected Name, found <EOF>.',
      extensions: { code: 'GRAPHQL_PARSE_FAILED' },
    });
  });

  it('masks anything without one of our codes: a thrown Error, a foreign code, no code', () => {
    const thrown = new GraphQLError(
      'connect ECONNREFUSED 10.0.0.5:5432 select name from child where id = 1',
      { path: ['child', 'name'], originalError: new TypeError('boom') },
    );
    const foreign = new GraphQLError('Downstream said no: http://internal.example/api', {
      extensions: { code: 'SERVICE_UNAVAILABLE', stacktrace: ['at x (y.ts:1:1)'] },
    });
    const internal = new GraphQLError('Cannot read properties of undefined (reading "upn")', {
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    for (const error of [thrown, foreign, internal]) {
      const formatted = format(error);
      expect(formatted.message).toBe('Internal server error.');
      expect(formatted.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
      expect(JSON.stringify(formatted)).not.toMatch(/ECONNREFUSED|select|http:|upn|at x/);
    }
    expect(format(thrown).path).toEqual(['child', 'name']);
  });

  it('does not treat inherited object keys as codes', () => {
    const formatted = format(new GraphQLError('secret', { extensions: { code: 'constructor' } }));
    expect(formatted.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
  });
});
