/**
 * The gateway's formatError: lib/errors' masking plus no suggestions, no schema in production,
 * limit and safelist codes kept, and a subgraph's error trusted no further than its code.
 */
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { isErrorCode } from '../../lib/errors';
import {
  GENERIC_MESSAGES,
  createFormatError,
  looksUnsafe,
  stripSuggestions,
} from './error-masking';
import { QueryLimitError } from './query-limits';

const production = createFormatError({ production: true });
const development = createFormatError({ production: false });

const fromGateway = (
  message: string,
  extensions: Record<string, unknown>,
  path?: string[],
): GraphQLFormattedError => ({ message, extensions, ...(path ? { path } : {}) });

/** What the gateway sees when a subgraph answered with an error: its serviceName is set. */
const fromSubgraph = (message: string, code?: string, path = ['child', 'name']) => ({
  message,
  path,
  extensions: { ...(code ? { code } : {}), serviceName: 'social-care' },
});

describe('the gateway formatError', () => {
  it('keeps our codes and texts, and reduces extensions to the code', () => {
    const formatted = production(
      fromGateway(
        'Not authorised.',
        { code: 'FORBIDDEN', stacktrace: ['at x (y.ts:1:1)'], http: { status: 403 } },
        ['child', 'pupilPremiumPlus'],
      ),
      undefined,
    );
    expect(formatted).toEqual({
      message: 'Not authorised.',
      path: ['child', 'pupilPremiumPlus'],
      extensions: { code: 'FORBIDDEN' },
    });
  });

  it('answers a query limit or a cost refusal as QUERY_TOO_COMPLEX with its own text', () => {
    const limit = new QueryLimitError('The query is nested more than 12 levels deep.');
    expect(production(limit.toJSON(), limit)).toEqual({
      message: 'The query is nested more than 12 levels deep.',
      extensions: { code: 'QUERY_TOO_COMPLEX' },
    });
    // Apollo wraps a validation rule's error; the original is what identifies it.
    const wrapped = new GraphQLError('The query uses more than 30 aliases.', {
      originalError: limit,
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
    expect(production(wrapped.toJSON(), wrapped)).toEqual({
      message: 'The query uses more than 30 aliases.',
      extensions: { code: 'QUERY_TOO_COMPLEX' },
    });
    const cost = fromGateway("The query's estimated cost is more than 5000.", {
      code: 'QUERY_TOO_COMPLEX',
      http: { status: 400 },
    });
    expect(production(cost, undefined).extensions).toEqual({ code: 'QUERY_TOO_COMPLEX' });
  });

  it('turns the parser’s token limit into QUERY_TOO_COMPLEX', () => {
    const formatted = production(
      fromGateway('Syntax Error: Document contains more that 2000 tokens. Parsing aborted.', {
        code: 'GRAPHQL_PARSE_FAILED',
      }),
      undefined,
    );
    expect(formatted).toEqual({
      message: 'The query has too many tokens.',
      extensions: { code: 'QUERY_TOO_COMPLEX' },
    });
  });

  it('keeps the safelist’s refusal', () => {
    const formatted = production(
      fromGateway('Only registered operations may run.', {
        code: 'OPERATION_NOT_ALLOWED',
        http: { status: 400 },
      }),
      undefined,
    );
    expect(formatted).toEqual({
      message: 'Only registered operations may run.',
      extensions: { code: 'OPERATION_NOT_ALLOWED' },
    });
  });

  it('in production, replaces validation and variable texts that name the schema', () => {
    const validation = fromGateway('Cannot query field "secretField" on type "Child".', {
      code: 'GRAPHQL_VALIDATION_FAILED',
    });
    expect(production(validation, undefined)).toEqual({
      message: GENERIC_MESSAGES.validation,
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
    const variables = fromGateway(
      'Variable "$id" got invalid value 1; Expected type "ChildIdInput".',
      { code: 'BAD_USER_INPUT' },
    );
    expect(production(variables, undefined)).toEqual({
      message: GENERIC_MESSAGES.variables,
      extensions: { code: 'BAD_USER_INPUT' },
    });
    // A resolver's BAD_USER_INPUT has a path and is ours: kept.
    const ours = fromGateway('first must be 1..500.', { code: 'BAD_USER_INPUT' }, ['children']);
    expect(production(ours, undefined).message).toBe('first must be 1..500.');
  });

  it('outside production, keeps validation texts but never their suggestions', () => {
    const formatted = development(
      fromGateway('Cannot query field "nmae" on type "Child". Did you mean "name"?', {
        code: 'GRAPHQL_VALIDATION_FAILED',
      }),
      undefined,
    );
    expect(formatted).toEqual({
      message: 'Cannot query field "nmae" on type "Child".',
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
  });

  it('masks a subgraph’s request-level error as internal: the gateway planned it', () => {
    for (const code of ['GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_PARSE_FAILED', 'BAD_REQUEST']) {
      const formatted = production(
        fromSubgraph('Cannot query field "x" on type "Child".', code),
        undefined,
      );
      expect(formatted).toEqual({
        message: 'Internal server error.',
        path: ['child', 'name'],
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      });
    }
  });

  it('does not let a subgraph’s OPERATION_NOT_ALLOWED or QUERY_TOO_COMPLEX skip the checks', () => {
    const formatted = production(
      fromSubgraph('QUERY_TOO_COMPLEX at http://10.0.0.7:4001/graphql', 'QUERY_TOO_COMPLEX'),
      undefined,
    );
    expect(formatted.message).not.toMatch(/http|10\.0/);
    expect(formatted.path).toEqual(['child', 'name']);
  });

  it('masks a subgraph’s error without a public code, and drops serviceName', () => {
    const formatted = production(fromSubgraph('relation "child" does not exist'), undefined);
    expect(formatted).toEqual({
      message: 'Internal server error.',
      path: ['child', 'name'],
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  });

  it.each([
    ['a URL', 'The education system failed: GET https://edu.council.example/v1/pupils/123'],
    ['a database URL', 'connect failed for postgres://cla:secret@db:5432/cla'],
    ['an address', 'The finance system is unavailable at 10.20.30.40; try again later.'],
    ['a socket error', 'The finance system is unavailable (ECONNREFUSED).'],
    ['a stack frame', 'Failed\n    at Loader.load (/app/subgraphs/education/loaders.ts:40:11)'],
    ['SQL', 'Failed: SELECT name, dob FROM child WHERE id = 1000001'],
    ['an insert', 'Failed: insert into designated_teacher_change values (1)'],
  ])('replaces a public-coded message carrying %s by the code’s standard text', (_what, text) => {
    const formatted = production(fromSubgraph(text, 'UPSTREAM_UNAVAILABLE'), undefined);
    expect(formatted).toEqual({
      message: 'A source system is unavailable; try again later.',
      path: ['child', 'name'],
      extensions: { code: 'UPSTREAM_UNAVAILABLE' },
    });
  });

  it('answers only with codes from the one list', () => {
    const inputs: GraphQLFormattedError[] = [
      fromGateway('x', { code: 'SOMETHING_ELSE' }),
      fromGateway('x', {}),
      fromSubgraph('x', 'UNAUTHORIZED'),
      fromSubgraph('x', 'OPERATION_NOT_ALLOWED'),
      fromGateway('x', { code: 'PERSISTED_QUERY_NOT_FOUND' }),
    ];
    for (const formatter of [production, development]) {
      for (const input of inputs) {
        const formatted = formatter(input, undefined);
        expect(isErrorCode(formatted.extensions?.code)).toBe(true);
        expect(Object.keys(formatted.extensions ?? {})).toEqual(['code']);
      }
    }
  });
});

describe('its helpers', () => {
  it('strip every suggestion graphql-js makes', () => {
    expect(
      stripSuggestions(
        'Value "PRIMRY" does not exist in "Phase" enum. Did you mean the enum value "PRIMARY"?',
      ),
    ).toBe('Value "PRIMRY" does not exist in "Phase" enum.');
    expect(stripSuggestions('Unknown argument "frist". Did you mean "first" or "last"?')).toBe(
      'Unknown argument "frist".',
    );
  });

  it('tell an unsafe message from an ordinary one', () => {
    expect(looksUnsafe('redis://cache:6379 refused')).toBe(true);
    expect(looksUnsafe('getaddrinfo EAI_AGAIN education')).toBe(true);
    expect(looksUnsafe('delete from need_to_know_grant where id = 3')).toBe(true);
    expect(looksUnsafe('The education system is unavailable; try again later.')).toBe(false);
    expect(looksUnsafe('No school with this URN.')).toBe(false);
  });
});
