/**
 * Static limits on an operation's shape: tokens in the parser, depth, aliases and directives
 * as validation rules (fragments measured as the executor expands them).
 */
import { ApolloServer } from '@apollo/server';
import { buildSchema, parse, specifiedRules, validate, type GraphQLError } from 'graphql';
import {
  QueryLimitError,
  TOO_MANY_TOKENS,
  limitErrorsOnly,
  parseLimits,
  queryLimitRules,
  type QueryLimits,
} from './query-limits';
import { createFormatError } from './error-masking';

const schema = buildSchema(/* GraphQL */ `
  type Query {
    child(id: ID!): Child
  }
  type Child {
    id: ID!
    name: String
    friend: Child
  }
`);

const LIMITS: QueryLimits = { maxDepth: 3, maxAliases: 2, maxDirectives: 2, maxTokens: 60 };

function errorsFor(query: string, limits = LIMITS): readonly GraphQLError[] {
  return validate(schema, parse(query), queryLimitRules(limits));
}
const messages = (query: string, limits = LIMITS) =>
  errorsFor(query, limits).map((error) => error.message);

describe('depth', () => {
  it('allows an operation at the limit and refuses one level more', () => {
    expect(messages('{ child(id: "1") { friend { id } } }')).toEqual([]);
    expect(messages('{ child(id: "1") { friend { friend { id } } } }')).toEqual([
      'The query is nested more than 3 levels deep.',
    ]);
  });

  it('counts fields inside fragments and inline fragments where they are spread', () => {
    const deep = /* GraphQL */ `
      query {
        child(id: "1") {
          ...F
        }
      }
      fragment F on Child {
        ... on Child {
          friend {
            friend {
              id
            }
          }
        }
      }
    `;
    expect(messages(deep)).toEqual(['The query is nested more than 3 levels deep.']);
  });

  it('leaves introspection fields out', () => {
    expect(messages('{ __schema { types { fields { type { name } } } } }')).toEqual([]);
  });
});

describe('aliases', () => {
  it('allows the limit and refuses one more', () => {
    expect(messages('{ a: child(id: "1") { id } b: child(id: "2") { id } }')).toEqual([]);
    expect(
      messages('{ a: child(id: "1") { id } b: child(id: "2") { id } c: child(id: "3") { id } }'),
    ).toEqual(['The query uses more than 2 aliases.']);
  });

  it('counts a fragment’s aliases once for every place it is spread', () => {
    const spreadThreeTimes = /* GraphQL */ `
      query {
        child(id: "1") {
          ...F
          friend {
            ...F
            friend {
              ...F
            }
          }
        }
      }
      fragment F on Child {
        n: name
      }
    `;
    expect(messages(spreadThreeTimes, { ...LIMITS, maxDepth: 10 })).toEqual([
      'The query uses more than 2 aliases.',
    ]);
  });
});

describe('directives', () => {
  it('counts directives on fields, on the operation and on its variables', () => {
    expect(messages('{ child(id: "1") { id @skip(if: false) name @include(if: true) } }')).toEqual(
      [],
    );
    expect(
      messages(
        '{ child(id: "1") { id @skip(if: false) name @include(if: true) friend @skip(if: true) { id } } }',
      ),
    ).toEqual(['The query uses more than 2 directives.']);
    const onOperation = buildSchema(/* GraphQL */ `
      directive @tag on QUERY | VARIABLE_DEFINITION
      type Query {
        child(id: ID!): ID
      }
    `);
    const errors = validate(
      onOperation,
      parse('query Q($id: ID! @tag) @tag { child(id: $id) @skip(if: false) }'),
      queryLimitRules(LIMITS),
    );
    expect(errors.map((error) => error.message)).toEqual([
      'The query uses more than 2 directives.',
    ]);
  });
});

describe('the errors', () => {
  it('are QueryLimitErrors coded QUERY_TOO_COMPLEX, on the operation, naming no schema type', () => {
    const [error] = errorsFor('{ child(id: "1") { friend { friend { friend { id } } } } }');
    expect(error).toBeInstanceOf(QueryLimitError);
    expect(error?.extensions.code).toBe('QUERY_TOO_COMPLEX');
    expect(error?.message).not.toMatch(/Child|friend/);
    expect(error?.locations).toEqual([{ line: 1, column: 1 }]);
  });

  it('cost the check itself little for nested fragment spreads (each fragment measured once)', () => {
    // 20 fragments, each spreading the next twice: 2^20 expansions if measured naively.
    const fragments = Array.from(
      { length: 20 },
      (_, i) => `fragment F${i} on Child { friend { ...F${i + 1} ...F${i + 1} } }`,
    );
    fragments.push('fragment F20 on Child { id }');
    const query = `{ child(id: "1") { ...F0 } }\n${fragments.join('\n')}`;
    const errors = validate(schema, parse(query), queryLimitRules({ ...LIMITS, maxDepth: 100 }));
    expect(errors).toEqual([]);
    const tooDeep = validate(schema, parse(query), queryLimitRules(LIMITS));
    expect(tooDeep.map((error) => error.message)).toEqual([
      'The query is nested more than 3 levels deep.',
    ]);
  });
});

describe('the token limit', () => {
  it('stops the parser past maxTokens with the message error-masking recognises', () => {
    const options = parseLimits(LIMITS);
    expect(options).toEqual({ maxTokens: 60 });
    const small = '{ child(id: "1") { id } }';
    expect(() => parse(small, options)).not.toThrow();
    const big = `{ ${Array.from({ length: 40 }, (_, i) => `a${i}: __typename`).join(' ')} }`;
    let message = '';
    try {
      parse(big, options);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(TOO_MANY_TOKENS);
  });
});

describe('limitErrorsOnly', () => {
  const resolvers = { child: () => ({ id: '1', name: 'x', friend: null }) };
  let server: ApolloServer;
  beforeAll(async () => {
    server = new ApolloServer({
      schema,
      rootValue: resolvers,
      validationRules: queryLimitRules(LIMITS),
      plugins: [limitErrorsOnly],
      // The limit errors are recognised (and coded QUERY_TOO_COMPLEX) by the gateway's
      // formatError, which Apollo runs before willSendResponse.
      formatError: createFormatError({ production: false }),
    });
    await server.start();
  });
  afterAll(() => server.stop());

  async function errorsOf(query: string) {
    const response = await server.executeOperation({ query });
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    return response.body.singleResult.errors?.map((error) => error.extensions?.code) ?? [];
  }

  it('answers a bomb with the limit errors alone, not every rule it also breaks', async () => {
    const bomb = `{ ${Array.from({ length: 5 }, (_, i) => `a${i}: nothing${i}`).join(' ')} }`;
    expect(validate(schema, parse(bomb), specifiedRules).length).toBe(5);
    expect(await errorsOf(bomb)).toEqual(['QUERY_TOO_COMPLEX']);
  });

  it('is what leaves them alone: without it, every broken rule is echoed', async () => {
    const echoing = new ApolloServer({
      schema,
      validationRules: queryLimitRules(LIMITS),
      formatError: createFormatError({ production: false }),
    });
    await echoing.start();
    try {
      const bomb = `{ ${Array.from({ length: 5 }, (_, i) => `a${i}: nothing${i}`).join(' ')} }`;
      const response = await echoing.executeOperation({ query: bomb });
      if (response.body.kind !== 'single') throw new Error('expected a single result');
      expect(response.body.singleResult.errors).toHaveLength(6);
    } finally {
      await echoing.stop();
    }
  });

  it('leaves other validation errors alone', async () => {
    expect(await errorsOf('{ nothing }')).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });
});
