/**
 * The shield defaults every subgraph gets from `subgraphShield`: deny by default with our
 * FORBIDDEN error, a resolver's own error passed through (not "Not Authorised!"), explicit
 * rules for the federation fields, and the role rules.
 */
import { buildSubgraphSchema } from '@apollo/subgraph';
import { execute, parse, type ExecutionResult, type GraphQLSchema } from 'graphql';
import type { Caller, Role } from '../../identity/caller';
import { UpstreamUnavailableError } from '../errors';
import {
  allow,
  applyPermissions,
  deny,
  hasRole,
  isAuthenticated,
  subgraphShield,
  type AuthzContext,
} from './rules';

const typeDefs = parse(/* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  type Query {
    child(id: ID!): Child
    open: String
    unruled: String
    upstreamDown: String
    crashes: String
  }

  type Child @key(fields: "id") {
    id: ID!
    name: String
    secret: String
  }
`);

let resolvedReferences = 0;
const resolvers = {
  Query: {
    child: (_: unknown, { id }: { id: string }) => ({ id }),
    open: () => 'open',
    unruled: () => 'should never be seen',
    upstreamDown: () => {
      throw new UpstreamUnavailableError('education');
    },
    crashes: () => {
      throw new Error('Cannot read properties of undefined');
    },
  },
  Child: {
    __resolveReference: ({ id }: { id: string }) => {
      resolvedReferences += 1;
      return { id };
    },
    name: () => 'A. Child',
    secret: () => 'not for anyone',
  },
};

const permissions = subgraphShield({
  Query: {
    child: isAuthenticated,
    open: allow,
    // A field with no rule at all stops the schema being built (rule-coverage.test.ts):
    // `deny` is how a field is kept in the schema and refused to everyone.
    unruled: deny,
    upstreamDown: isAuthenticated,
    crashes: isAuthenticated,
  },
  Child: {
    id: isAuthenticated,
    name: hasRole('virtual-school-head', 'social-worker'),
    secret: deny,
  },
});

const schema: GraphQLSchema = applyPermissions(permissions)(
  buildSubgraphSchema([{ typeDefs, resolvers }]),
);

const caller = (...roles: Role[]): Caller => ({
  sub: 'S1',
  roles,
  la: '340',
  urns: [],
  clientId: null,
});

async function run(
  query: string,
  who: Caller | null,
  variables?: Record<string, unknown>,
  on: GraphQLSchema = schema,
): Promise<ExecutionResult> {
  const context: AuthzContext = { caller: who };
  return (await execute({
    schema: on,
    document: parse(query),
    contextValue: context,
    variableValues: variables,
  })) as ExecutionResult;
}

const errorsOf = (result: ExecutionResult) =>
  (result.errors ?? []).map((error) => ({
    path: error.path?.join('.'),
    code: error.extensions.code,
    message: error.message,
  }));

describe('subgraphShield', () => {
  it('lets a permitted field through', async () => {
    const result = await run('{ child(id: "1") { id name } open }', caller('social-worker'));
    expect(result).toEqual({ data: { child: { id: '1', name: 'A. Child' }, open: 'open' } });
  });

  it('denies a field whose rule is deny, with our FORBIDDEN', async () => {
    const result = await run(
      '{ unruled child(id: "1") { id secret } }',
      caller('virtual-school-head'),
    );
    expect(result.data).toEqual({ unruled: null, child: { id: '1', secret: null } });
    expect(errorsOf(result)).toEqual([
      { path: 'unruled', code: 'FORBIDDEN', message: 'Not authorised.' },
      { path: 'child.secret', code: 'FORBIDDEN', message: 'Not authorised.' },
    ]);
  });

  it('refuses a field whose rule says no, keeping the rest of the record', async () => {
    const result = await run('{ child(id: "1") { id name } }', caller('teacher'));
    expect(result.data).toEqual({ child: { id: '1', name: null } });
    expect(errorsOf(result)).toEqual([
      { path: 'child.name', code: 'FORBIDDEN', message: 'Not authorised.' },
    ]);
  });

  it('refuses everything but allowed fields without a caller', async () => {
    const result = await run('{ open child(id: "1") { id } }', null);
    expect(result.data).toEqual({ open: 'open', child: null });
    expect(errorsOf(result)).toEqual([
      { path: 'child', code: 'FORBIDDEN', message: 'Not authorised.' },
    ]);
  });

  it('passes a resolver’s own error through instead of hiding it as "Not Authorised!"', async () => {
    const result = await run('{ upstreamDown crashes }', caller('virtual-school-head'));
    expect(errorsOf(result)).toEqual([
      {
        path: 'upstreamDown',
        code: 'UPSTREAM_UNAVAILABLE',
        message: 'The education system is unavailable; try again later.',
      },
      // Passed on as it is, for formatError to mask (lib/errors.test.ts).
      { path: 'crashes', code: undefined, message: 'Cannot read properties of undefined' },
    ]);
  });
});

describe('the federation fields', () => {
  const ENTITIES = /* GraphQL */ `
    query ($representations: [_Any!]!) {
      _entities(representations: $representations) {
        ... on Child {
          id
          name
        }
      }
    }
  `;
  const representations = [{ __typename: 'Child', id: '7' }];

  it('serve the SDL to an authenticated caller only', async () => {
    const served = await run('{ _service { sdl } }', caller());
    expect(served.errors).toBeUndefined();
    expect((served.data?._service as { sdl: string }).sdl).toContain('type Child');
    const refused = await run('{ _service { sdl } }', null);
    // `_service` is non-null, so the whole answer is null.
    expect(refused.data).toBeNull();
    expect(errorsOf(refused)[0]?.code).toBe('FORBIDDEN');
  });

  it('resolve entities through the shield, with the fields’ own rules applied', async () => {
    const before = resolvedReferences;
    const reader = await run(ENTITIES, caller('virtual-school-head'), { representations });
    expect(reader).toEqual({ data: { _entities: [{ id: '7', name: 'A. Child' }] } });
    expect(resolvedReferences).toBe(before + 1);

    const teacher = await run(ENTITIES, caller('teacher'), { representations });
    expect(teacher.data).toEqual({ _entities: [{ id: '7', name: null }] });
    expect(errorsOf(teacher)).toEqual([
      { path: '_entities.0.name', code: 'FORBIDDEN', message: 'Not authorised.' },
    ]);
  });

  it('refuse entities without a caller, before any reference is resolved', async () => {
    const before = resolvedReferences;
    const result = await run(ENTITIES, null, { representations });
    expect(result.data).toBeNull();
    expect(errorsOf(result)[0]?.code).toBe('FORBIDDEN');
    expect(resolvedReferences).toBe(before);
  });

  it('leave _entities out for a subgraph without entity types ({ entities: false })', () => {
    const plain = buildSubgraphSchema([
      { typeDefs: parse('type Query { open: String }'), resolvers: { Query: { open: () => 'x' } } },
    ]);
    expect(plain.getQueryType()?.getFields()._entities).toBeUndefined();
    // graphql-shield refuses a rule for a field the schema lacks: the option is what makes it fit.
    expect(() => applyPermissions(subgraphShield({ Query: { open: allow } }))(plain)).toThrow();
    const shielded = applyPermissions(
      subgraphShield({ Query: { open: allow } }, { entities: false }),
    )(plain);
    return run('{ open _service { sdl } }', caller(), undefined, shielded).then((result) => {
      expect(result.errors).toBeUndefined();
      expect(result.data?.open).toBe('x');
    });
  });
});

describe('hasRole', () => {
  it('is one rule object per set of roles, whatever their order', () => {
    expect(hasRole('teacher', 'governor')).toBe(hasRole('governor', 'teacher'));
    expect(hasRole('teacher')).not.toBe(hasRole('governor'));
  });

  it('admits a caller with any of the roles and nobody else', async () => {
    const only = applyPermissions(
      subgraphShield({ Query: { open: hasRole('analyst', 'auditor') } }, { entities: false }),
    )(
      buildSubgraphSchema([
        {
          typeDefs: parse('type Query { open: String }'),
          resolvers: { Query: { open: () => 'x' } },
        },
      ]),
    );
    const ask = (who: Caller | null) =>
      run('{ open }', who, undefined, only).then((r) => r.data?.open);
    expect(await ask(caller('auditor'))).toBe('x');
    expect(await ask(caller('teacher', 'analyst'))).toBe('x');
    expect(await ask(caller('teacher', 'virtual-school-head'))).toBeNull();
    expect(await ask(caller())).toBeNull();
    expect(await ask(null)).toBeNull();
  });
});
