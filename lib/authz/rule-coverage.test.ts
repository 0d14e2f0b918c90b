/**
 * The start-up check that every field of a subgraph's schema has a rule or is declared
 * `guardedByParent`, and what `guardedByParent` means: no middleware of its own, and nothing
 * of it reachable when the field above it is refused.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSubgraphSchema } from '@apollo/subgraph';
import {
  execute,
  parse,
  type ExecutionResult,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import type { IRules } from 'graphql-shield';
import type { Caller, Role } from '../../identity/caller';
import { READABLE_CATEGORIES } from './categories';
import { guardedByParent } from './rule-coverage';
import {
  allow,
  applyPermissions,
  deny,
  hasRole,
  isAuthenticated,
  subgraphShield,
  type AuthzContext,
} from './rules';
import type { ChildScope } from './scope';
import { socialCarePermissions } from '../../subgraphs/social-care/permissions';

const FEDERATION =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])';

/** A subgraph schema from SDL, with the resolvers given (default resolvers elsewhere). */
const build = (sdl: string, resolvers: Record<string, unknown> = {}) =>
  buildSubgraphSchema([
    { typeDefs: parse(`${FEDERATION}\n${sdl}`), resolvers: resolvers as never },
  ]);

const shielded = (sdl: string, rules: IRules, resolvers?: Record<string, unknown>) =>
  applyPermissions(subgraphShield(rules))(build(sdl, resolvers));

const caller = (...roles: Role[]): Caller => ({
  sub: 'S1',
  roles,
  la: '340',
  urns: [],
  clientId: null,
});

async function run(
  schema: GraphQLSchema,
  query: string,
  context: AuthzContext,
  variables?: Record<string, unknown>,
): Promise<ExecutionResult> {
  return (await execute({
    schema,
    document: parse(query),
    contextValue: context,
    variableValues: variables,
  })) as ExecutionResult;
}

const codesOf = (result: ExecutionResult) =>
  (result.errors ?? []).map((error) => [error.path?.join('.'), error.extensions.code]);

const SDL = /* GraphQL */ `
  type Query {
    child(id: ID!): Child
  }
  type Child @key(fields: "id") {
    id: ID!
    placement: Placement
  }
  type Placement {
    type: String
    carer: Carer
  }
  type Carer {
    name: String
  }
`;

const RULES: IRules = {
  Query: { child: hasRole('virtual-school-head', 'social-worker', 'teacher') },
  Child: { id: isAuthenticated, placement: hasRole('virtual-school-head', 'social-worker') },
  Placement: guardedByParent,
  Carer: guardedByParent,
};

describe('the start-up check', () => {
  it('refuses a schema with a field that has no rule, naming it', () => {
    const sdl = SDL.replace('placement: Placement', 'placement: Placement\n    added: String');
    expect(() => shielded(sdl, RULES)).toThrow(/Child\.added has no rule/);
  });

  it('names every uncovered field at once: a new root field, a new type', () => {
    const sdl = `${SDL.replace('child(id: ID!): Child', 'child(id: ID!): Child\n    extra: Extra')}
      type Extra { a: String b: String }`;
    const attempt = () => shielded(sdl, RULES);
    expect(attempt).toThrow(/Query\.extra has no rule/);
    expect(attempt).toThrow(/Extra\.a has no rule.*Extra\.b has no rule/);
  });

  it('counts a type-wide rule and a type’s `*` as covering every field', () => {
    const sdl = SDL.replace('carer: Carer', 'carer: Carer\n    endDate: String');
    expect(() =>
      shielded(sdl, { ...RULES, Placement: { '*': guardedByParent, carer: deny } }),
    ).not.toThrow();
    expect(() => shielded(sdl, { ...RULES, Carer: allow })).not.toThrow();
  });

  it('refuses guardedByParent on the root types: their fields are where rules start', () => {
    expect(() => shielded(SDL, { ...RULES, Query: guardedByParent })).toThrow(
      /Query\.child is a root field/,
    );
    const withMutation = `${SDL} type Mutation { change: Boolean }`;
    expect(() =>
      shielded(withMutation, { ...RULES, Mutation: { change: guardedByParent } }),
    ).toThrow(/Mutation\.change is a root field/);
  });

  it('refuses guardedByParent on an entity _entities resolves, and the federation fields need rules', () => {
    expect(() => shielded(SDL, { ...RULES, Child: guardedByParent })).toThrow(
      /Child\.id is on an entity that _entities returns directly/,
    );
    // `Query._entities`, `Query._service` and `_Service.sdl` come ruled from subgraphShield;
    // a bare shield over the same tree would have none for them.
    expect(() => shielded(SDL, RULES)).not.toThrow();
  });

  it('lets a resolvable: false reference (another subgraph’s entity) be guardedByParent', () => {
    const sdl = `${SDL.replace('carer: Carer', 'carer: Carer\n    school: School')}
      type School @key(fields: "urn", resolvable: false) { urn: ID! }`;
    expect(() => shielded(sdl, { ...RULES, School: guardedByParent })).not.toThrow();
  });
});

describe('guardedByParent', () => {
  let carersRead = 0;
  const resolvers = {
    Query: { child: (_: unknown, { id }: { id: string }) => ({ id }) },
    Child: {
      __resolveReference: ({ id }: { id: string }) => ({ id }),
      placement: () => ({ type: 'Foster', carer: {} }),
    },
    Carer: {
      name: () => {
        carersRead += 1;
        return 'A. Carer';
      },
    },
  };
  const schema = shielded(SDL, RULES, resolvers);
  const QUERY = '{ child(id: "1") { id placement { type carer { name } } } }';

  it('answers through a parent whose rule admits', async () => {
    const result = await run(schema, QUERY, { caller: caller('social-worker') });
    expect(result).toEqual({
      data: { child: { id: '1', placement: { type: 'Foster', carer: { name: 'A. Carer' } } } },
    });
  });

  it('reaches nothing when the field above it is refused', async () => {
    const before = carersRead;
    const teacher = await run(schema, QUERY, { caller: caller('teacher') });
    expect(teacher.data).toEqual({ child: { id: '1', placement: null } });
    expect(codesOf(teacher)).toEqual([['child.placement', 'FORBIDDEN']]);

    const nobody = await run(schema, QUERY, { caller: caller('auditor') });
    expect(nobody.data).toEqual({ child: null });
    expect(codesOf(nobody)).toEqual([['child', 'FORBIDDEN']]);
    expect(carersRead).toBe(before);
  });

  it('reaches nothing through _entities when the field above it is refused', async () => {
    const before = carersRead;
    const result = await run(
      schema,
      `query ($r: [_Any!]!) { _entities(representations: $r) {
        ... on Child { id placement { type carer { name } } } } }`,
      { caller: caller('teacher') },
      { r: [{ __typename: 'Child', id: '7' }] },
    );
    expect(result.data).toEqual({ _entities: [{ id: '7', placement: null }] });
    expect(codesOf(result)).toEqual([['_entities.0.placement', 'FORBIDDEN']]);
    expect(carersRead).toBe(before);
  });

  it('adds no middleware: only the fields a rule must decide are wrapped', () => {
    const fields = (type: string) => (schema.getType(type) as GraphQLObjectType).getFields();
    expect(fields('Carer').name!.resolve).toBe(resolvers.Carer.name);
    expect(fields('Child').placement!.resolve).not.toBe(resolvers.Child.placement);
  });
});

describe('a real subgraph: social care', () => {
  const sdl = readFileSync(
    path.join(__dirname, '../../subgraphs/social-care/social-care.graphql'),
    'utf8',
  );
  let addressesRead = 0;
  const record = { CHILD: 'C1' };
  const schema = applyPermissions(socialCarePermissions)(
    buildSubgraphSchema([
      {
        typeDefs: parse(sdl),
        resolvers: {
          Query: {
            children: () => ({
              edges: [{ cursor: 'c', node: record }],
              pageInfo: { hasNextPage: false, endCursor: null },
              totalCount: 1,
            }),
          },
          Child: {
            id: (child: typeof record) => child.CHILD,
            placement: () => ({
              childId: 'C1',
              type: { code: 'U1', label: 'Foster placement' },
              address: {},
            }),
          },
          Placement: {
            address: () => {
              addressesRead += 1;
              return { postcode: 'AB1 2CD' };
            },
          },
        } as never,
      },
    ]),
  );
  /** A scope that admitted C1 under the caller's roles (scope.ts decides that in earnest). */
  const contextFor = (role: Role): AuthzContext => ({
    caller: caller(role),
    auth: {
      scope: {
        mayRead: (_subject: unknown, category: string) =>
          (READABLE_CATEGORIES[role] as readonly string[]).includes(category),
      } as unknown as ChildScope,
    },
  });
  const QUERY =
    '{ children(first: 1) { edges { node { id placement { type { code label } } } } } }';

  it('serves a placement’s value fields (guardedByParent) to a role that reads PLACEMENT', async () => {
    const result = await run(schema, QUERY, contextFor('virtual-school-head'));
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({
      children: {
        edges: [
          { node: { id: 'C1', placement: { type: { code: 'U1', label: 'Foster placement' } } } },
        ],
      },
    });
  });

  it('keeps them from a finance officer, whom Child.placement refuses', async () => {
    expect(READABLE_CATEGORIES['finance-officer']).not.toContain('PLACEMENT');
    const result = await run(schema, QUERY, contextFor('finance-officer'));
    expect(result.data).toEqual({
      children: { edges: [{ node: { id: 'C1', placement: null } }] },
    });
    expect(codesOf(result)).toEqual([['children.edges.0.node.placement', 'FORBIDDEN']]);
  });

  it('still guards the one ruled field of a guardedByParent type (the address)', async () => {
    const before = addressesRead;
    const result = await run(
      schema,
      '{ children(first: 1) { edges { node { placement { address { postcode } } } } } }',
      contextFor('designated-teacher'),
    );
    const codes = codesOf(result);
    // A designated teacher reads neither the placement nor, beneath it, the address.
    expect(codes.length).toBeGreaterThan(0);
    expect(codes.every(([, code]) => code === 'FORBIDDEN')).toBe(true);
    expect(addressesRead).toBe(before);
  });
});

describe('every subgraph’s permissions', () => {
  const SUBGRAPHS = [
    ['social-care', 'socialCarePermissions'],
    ['education', 'educationPermissions'],
    ['finance', 'financePermissions'],
    ['need-to-know', 'needToKnowPermissions'],
    ['reporting', 'reportingPermissions'],
    ['alerts', 'alertsPermissions'],
    ['access-log', 'accessLogPermissions'],
  ] as const;

  it.each(SUBGRAPHS)('cover the %s schema', async (name, exported) => {
    const dir = path.join(__dirname, '../../subgraphs', name);
    const permissions = ((await import(path.join(dir, 'permissions'))) as Record<string, unknown>)[
      exported
    ] as ReturnType<typeof subgraphShield>;
    const schema = buildSubgraphSchema([
      { typeDefs: parse(readFileSync(path.join(dir, `${name}.graphql`), 'utf8')) },
    ]);
    expect(() => applyPermissions(permissions)(schema)).not.toThrow();
  });
});
