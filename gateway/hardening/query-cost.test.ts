/**
 * The worst-case cost estimate, and its refusal before anything runs.
 */
import { ApolloServer } from '@apollo/server';
import {
  Kind,
  buildSchema,
  parse,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
} from 'graphql';
import { ASSUMED_LIST_SIZE, DEFAULT_PAGE_SIZE, operationCost, queryCostPlugin } from './query-cost';

const schema = buildSchema(/* GraphQL */ `
  type Query {
    child(id: ID!): Child
    children(first: Int, after: String): ChildConnection!
    schools(first: Int = 20): [School!]!
    someChildren: [Child!]!
  }
  type Mutation {
    touch: Child
  }
  type ChildConnection {
    totalCount: Int!
    edges: [ChildEdge!]!
    nodes: [Child!]!
  }
  type ChildEdge {
    node: Child!
  }
  type Child {
    id: ID!
    name: String
    siblings: [Child!]!
    school: School
  }
  type School {
    urn: ID!
    pupils(first: Int): ChildConnection!
  }
`);

function cost(query: string, variables: Record<string, unknown> = {}): number {
  const document = parse(query);
  const fragments: Record<string, FragmentDefinitionNode> = {};
  let operation: OperationDefinitionNode | undefined;
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
    if (definition.kind === Kind.OPERATION_DEFINITION) operation = definition;
  }
  if (!operation) throw new Error('no operation');
  return operationCost({ schema, operation, fragments, variables });
}

describe('operationCost', () => {
  it('costs every field 1 and an object field 1 plus what is under it', () => {
    expect(cost('{ child(id: "1") { id } }')).toBe(2);
    expect(cost('{ child(id: "1") { id name school { urn } } }')).toBe(5);
    expect(cost('{ child(id: "1") { __typename } }')).toBe(2);
  });

  it('multiplies by first, from a literal, a variable or the variable’s default', () => {
    expect(cost('{ children(first: 100) { totalCount nodes { id } } }')).toBe(
      1 + 100 * (1 + 1 + 1),
    );
    expect(cost('query($n: Int) { children(first: $n) { nodes { id } } }', { n: 7 })).toBe(
      1 + 7 * 2,
    );
    expect(cost('query($n: Int = 3) { children(first: $n) { nodes { id } } }')).toBe(1 + 3 * 2);
  });

  it('falls back to the argument’s default, then to DEFAULT_PAGE_SIZE', () => {
    expect(cost('{ schools { urn } }')).toBe(1 + 20 * 1);
    expect(cost('{ children { nodes { id } } }')).toBe(1 + DEFAULT_PAGE_SIZE * 2);
    // A negative page size costs nothing, not less than nothing.
    expect(cost('{ children(first: -5) { nodes { id } } }')).toBe(1);
  });

  it('assumes ASSUMED_LIST_SIZE for an unsliced list, but not for a connection’s edges', () => {
    expect(cost('{ someChildren { id } }')).toBe(1 + ASSUMED_LIST_SIZE * 1);
    expect(cost('{ children(first: 2) { edges { node { id } } } }')).toBe(1 + 2 * (1 + (1 + 1)));
  });

  it('multiplies nested pages', () => {
    const nested =
      '{ children(first: 10) { nodes { school { pupils(first: 10) { nodes { id } } } } } }';
    // children: 1 + 10 * nodes(1 + school(1 + pupils(1 + 10 * nodes(1 + id))))
    expect(cost(nested)).toBe(1 + 10 * (1 + (1 + (1 + 10 * (1 + 1)))));
  });

  it('costs a fragment once and scales it wherever it is spread', () => {
    const query = /* GraphQL */ `
      {
        children(first: 4) {
          nodes {
            ...C
          }
        }
        child(id: "1") {
          ...C
        }
      }
      fragment C on Child {
        id
        siblings {
          id
        }
      }
    `;
    const fragment = 1 + (1 + ASSUMED_LIST_SIZE * 1);
    expect(cost(query)).toBe(1 + 4 * (1 + fragment) + (1 + fragment));
  });

  it('costs mutations from the mutation type, and introspection as nothing', () => {
    expect(cost('mutation { touch { id } }')).toBe(2);
    expect(cost('{ __schema { types { name } } }')).toBe(0);
  });
});

describe('queryCostPlugin', () => {
  let server: ApolloServer;
  let ran = 0;
  beforeAll(async () => {
    server = new ApolloServer({
      schema,
      rootValue: {
        children: () => {
          ran += 1;
          return { totalCount: 0, edges: [], nodes: [] };
        },
      },
      plugins: [queryCostPlugin(1 + 100 * 2)],
    });
    await server.start();
  });
  afterAll(() => server.stop());

  async function run(query: string, variables?: Record<string, unknown>) {
    const response = await server.executeOperation({ query, variables });
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    return { status: response.http.status, result: response.body.singleResult };
  }

  it('runs an operation at the limit', async () => {
    const { result } = await run('query($n: Int) { children(first: $n) { nodes { id } } }', {
      n: 100,
    });
    expect(result.errors).toBeUndefined();
    expect(ran).toBe(1);
  });

  it('refuses one over it with 400 QUERY_TOO_COMPLEX, before any resolver runs', async () => {
    // One over: the same page and __typename.
    const { status, result } = await run(
      'query($n: Int) { __typename children(first: $n) { nodes { id } } }',
      { n: 100 },
    );
    expect(status).toBe(400);
    expect(result.data).toBeUndefined();
    expect(result.errors?.map((error) => error.extensions?.code)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(result.errors?.[0]?.message).toBe("The query's estimated cost is more than 201.");
    expect(ran).toBe(1);
  });
});
