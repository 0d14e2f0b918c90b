/**
 * The synchronous path for our synchronous rules (synchronous-rules.ts) decides exactly as
 * graphql-shield's own middleware does: the same schema is built three ways, with
 * `subgraphShield(...)` (ruled fields only, synchronous rules without promises), with its
 * `.everyField` (graphql-shield's middleware on every field) and with its `.asyncRules`
 * (graphql-shield's middleware on the ruled fields only), and every operation below is
 * run through each for allowed, partly allowed and refused callers, comparing data, errors
 * and the audit trail (errors in the order of their paths, see `run`).
 */
import { buildSubgraphSchema } from '@apollo/subgraph';
import {
  execute,
  parse,
  type ExecutionResult,
  type GraphQLError,
  type GraphQLSchema,
} from 'graphql';
import { and, rule } from 'graphql-shield';
import type { Caller } from '../../identity/caller';
import { caller } from '../../tests/support/identity';
import { AuditTrail, type AuditEntry } from '../audit/audit-trail';
import { auditMiddleware, fieldRules, type FieldCategories } from '../audit/child-audit';
import { UpstreamUnavailableError } from '../errors';
import {
  allow,
  applyPermissions,
  guardedByParent,
  hasRole,
  isAuthenticated,
  mayChange,
  mayRead,
  mayReadOfChild,
  subgraphShield,
  type AuthzContext,
} from './rules';
import { ChildScope, type ChildFacts, type ScopeSources } from './scope';
import { isSynchronousRule } from './synchronous-rules';

const HOME = '340';

const typeDefs = parse(/* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  type Query {
    children: [Child!]!
    child(id: ID!): Child
    "Children already admitted in this request, returned synchronously."
    admitted: [Child!]!
    canReadPep: String
    crashes: String
    rejects: String
    throwsPlain: String
    rejectsPlain: String
  }

  type Mutation {
    changePep: String
  }

  type Child @key(fields: "id") {
    id: ID!
    name: String
    upn: String
    placement: Placement
    pep: String
    funding: Int
    careStatus: String
    classroom: String
    both: String
  }

  type Placement {
    type: String
  }
`);

interface Kid extends ChildFacts {
  id: string;
}

const kid = (id: string, socialWorkerId: string, restricted = false): Kid => ({
  id,
  upn: `U${id}`,
  lookedAfterBy: HOME,
  restricted,
  socialWorkerId,
  caseworkerId: null,
});
const KIDS = [kid('C1', 'SW1'), kid('C2', 'SW2'), kid('C3', 'SW1', true)];
const find = (id: string) => KIDS.find((k) => k.id === id) ?? null;

interface Context extends AuthzContext {
  auth: { scope: ChildScope; auditTrail: AuditTrail };
}

const resolvers = {
  Query: {
    children: (_: unknown, __: unknown, context: Context) =>
      context.auth.scope.filter(KIDS, (k) => k),
    child: async (_: unknown, { id }: { id: string }, context: Context) =>
      (await context.auth.scope.includes(find(id))) ? find(id) : null,
    admitted: (_: unknown, __: unknown, context: Context) =>
      KIDS.filter((k) => context.auth.scope.mayRead({ childId: k.id }, 'ID_BASIC')),
    canReadPep: () => 'yes',
    crashes: () => {
      throw new Error('Cannot read properties of undefined');
    },
    rejects: () => Promise.reject(new UpstreamUnavailableError('education')),
    // graphql-shield, with allowExternalErrors, returns whatever a resolver throws as the
    // field's value: not an Error, so it becomes the field's data. The synchronous path must
    // do the same, odd as it is.
    throwsPlain: () => {
      throw 'not an Error';
    },
    rejectsPlain: () => Promise.reject('rejected, not an Error'),
  },
  Mutation: { changePep: () => 'changed' },
  Child: {
    __resolveReference: async ({ id }: { id: string }, context: Context) =>
      (await context.auth.scope.includes(find(id))) ? find(id) : null,
    name: (k: Kid) => `Child ${k.id}`,
    // A promise, as a loader's answer is.
    placement: async (k: Kid) => ({ type: k.id === 'C1' ? 'foster' : 'residential' }),
    pep: () => {
      throw new UpstreamUnavailableError('social care');
    },
    funding: () => Promise.reject(new Error('funding down')),
    // Resolves to nothing: not audited.
    careStatus: () => null,
    classroom: (k: Kid) => `room ${k.id}`,
    both: () => 'both',
  },
};

const CHILD_FIELDS: FieldCategories = {
  id: 'ID_BASIC',
  name: 'ID_BASIC',
  upn: 'ID',
  placement: 'PLACEMENT',
  pep: 'PEP',
  funding: 'FUNDING',
  careStatus: 'CARE',
};
const childOf = (k: Kid) => k.id;

/** A rule whose subject look-up throws for C2: graphql-shield refuses rather than failing. */
const classroom = mayReadOfChild<Kid>('ChildClassroom', (k) => {
  if (k.id === 'C2') throw new Error('no subject');
  return { childId: k.id };
})('CLASSROOM');

/** A logic rule over synchronous rules: not marked, so graphql-shield's own middleware. */
const both = and(
  isAuthenticated,
  mayReadOfChild<Kid>('ChildBoth', (k) => ({ childId: k.id }))('ID'),
);

const readers = hasRole('virtual-school-head', 'social-worker', 'finance-officer');
const permissions = subgraphShield({
  Query: {
    children: readers,
    child: isAuthenticated,
    admitted: readers,
    canReadPep: mayRead('PEP'),
    crashes: isAuthenticated,
    rejects: isAuthenticated,
    throwsPlain: isAuthenticated,
    rejectsPlain: isAuthenticated,
  },
  Mutation: { changePep: mayChange('PEP') },
  Child: { ...fieldRules('Child', CHILD_FIELDS, childOf), classroom, both },
  Placement: guardedByParent,
});
const audit = auditMiddleware('Child', CHILD_FIELDS, childOf);

const build = () => buildSubgraphSchema([{ typeDefs, resolvers: resolvers as never }]);
const fast: GraphQLSchema = applyPermissions(permissions, audit)(build());
const reference: GraphQLSchema = applyPermissions(permissions.everyField, audit)(build());
/** The ruled fields only, with graphql-shield's own middleware (as before the synchronous path). */
const ruledAsync: GraphQLSchema = applyPermissions(permissions.asyncRules, audit)(build());

const sources: ScopeSources = {
  rollUpns: () => Promise.resolve(new Set()),
  needToKnowChildIds: () => Promise.resolve(new Set()),
  needToKnowUpns: () => Promise.resolve(new Set()),
};
const contextFor = (who: Caller | null): Context => ({
  caller: who,
  auth: { scope: new ChildScope(who, HOME, sources), auditTrail: new AuditTrail() },
});

/** An error as a client and the logs would see it, with what it was raised from. */
const describeError = (error: GraphQLError) => ({
  ...error.toJSON(),
  raisedFrom: error.originalError?.constructor.name,
});

const byPath = (a: { path?: unknown }, b: { path?: unknown }) =>
  JSON.stringify(a.path ?? null).localeCompare(JSON.stringify(b.path ?? null));

interface Answer {
  data: unknown;
  errors: Array<ReturnType<typeof describeError>>;
  audit: AuditEntry[];
}

async function run(
  schema: GraphQLSchema,
  query: string,
  who: Caller | null,
  variables?: Record<string, unknown>,
): Promise<Answer> {
  const context = contextFor(who);
  const result = (await execute({
    schema,
    document: parse(query),
    contextValue: context,
    variableValues: variables,
  })) as ExecutionResult;
  return {
    data: result.data,
    // In the order of their paths: graphql-js lists errors as fields fail, and graphql-shield's
    // middleware makes every field fail some microtask hops late (more for some outcomes than
    // others), whereas the synchronous path fails them in the order they are executed. Which
    // errors, and each error's every detail, must be the same.
    errors: (result.errors ?? []).map(describeError).sort(byPath),
    audit: context.auth.auditTrail.entries(),
  };
}

/** The same operation through both builds: the answers must be identical. */
async function both_ways(query: string, who: Caller | null, variables?: Record<string, unknown>) {
  const ours = await run(fast, query, who, variables);
  const theirs = await run(reference, query, who, variables);
  expect(ours).toEqual(theirs);
  expect(await run(ruledAsync, query, who, variables)).toEqual(theirs);
  return ours;
}

const CALLERS: Array<[string, Caller | null]> = [
  ['a virtual school head (reads every category)', caller(['virtual-school-head'])],
  [
    'a finance officer who is C1’s and C3’s social worker (placement for some children only)',
    caller(['finance-officer', 'social-worker'], { sub: 'SW1' }),
  ],
  ['a finance officer (refused most fields)', caller(['finance-officer'])],
  ['a teacher (refused the lists)', caller(['teacher'])],
  ['no caller', null],
];

const CHILD_SELECTION = 'id name upn placement { type } pep funding careStatus classroom both';
const ENTITIES = /* GraphQL */ `
  query ($representations: [_Any!]!) {
    _entities(representations: $representations) {
      ... on Child { ${CHILD_SELECTION} }
    }
  }
`;
const representations = ['C1', 'C2', 'C3', 'NOPE'].map((id) => ({ __typename: 'Child', id }));

describe.each(CALLERS)('the synchronous path decides as graphql-shield, for %s', (_, who) => {
  it('on a list of children, with refused fields among allowed ones', async () => {
    await both_ways(`{ children { ${CHILD_SELECTION} } }`, who);
  });

  it('on one child, and on children already admitted (no promise anywhere)', async () => {
    await both_ways(`{ child(id: "C2") { ${CHILD_SELECTION} } }`, who);
  });

  it('on entities, under _entities', async () => {
    await both_ways(ENTITIES, who, { representations });
  });

  it('on resolvers that throw, reject, or throw something other than an Error', async () => {
    await both_ways('{ crashes rejects throwsPlain rejectsPlain canReadPep }', who);
  });

  it('on a mutation', async () => {
    await both_ways('mutation { changePep }', who);
  });
});

describe('what the comparison above saw', () => {
  // The comparisons would pass if both builds answered nothing: these pin what they answer.
  it('a refused field in a list is FORBIDDEN for that child only, and not audited', async () => {
    const answer = await both_ways(
      '{ children { id placement { type } } }',
      caller(['finance-officer', 'social-worker'], { sub: 'SW1' }),
    );
    expect(answer.data).toEqual({
      children: [
        { id: 'C1', placement: { type: 'foster' } },
        { id: 'C2', placement: null },
        { id: 'C3', placement: { type: 'residential' } },
      ],
    });
    expect(answer.errors.map((error) => [error.path?.join('.'), error.extensions?.code])).toEqual([
      ['children.1.placement', 'FORBIDDEN'],
    ]);
    expect(answer.audit).toEqual([
      { childId: 'C1', categories: ['ID_BASIC', 'PLACEMENT'] },
      { childId: 'C2', categories: ['ID_BASIC'] },
      { childId: 'C3', categories: ['ID_BASIC', 'PLACEMENT'] },
    ]);
  });

  it('a resolver’s error passes through; a rule that throws refuses', async () => {
    const answer = await both_ways(
      '{ children { id pep funding classroom } crashes rejects throwsPlain rejectsPlain }',
      caller(['virtual-school-head']),
    );
    const errors = answer.errors.map((error) => [
      error.path?.join('.'),
      error.extensions?.code,
      error.message,
    ]);
    expect(errors).toEqual(
      expect.arrayContaining([
        [
          'children.0.pep',
          'UPSTREAM_UNAVAILABLE',
          'The social care system is unavailable; try again later.',
        ],
        ['children.0.funding', undefined, 'funding down'],
        ['children.1.classroom', 'FORBIDDEN', 'Not authorised.'],
        ['crashes', undefined, 'Cannot read properties of undefined'],
        [
          'rejects',
          'UPSTREAM_UNAVAILABLE',
          'The education system is unavailable; try again later.',
        ],
      ]),
    );
    expect(answer.data).toMatchObject({
      children: [{ id: 'C1', classroom: 'room C1' }, { id: 'C2', classroom: null }, {}],
      throwsPlain: 'not an Error',
      rejectsPlain: 'rejected, not an Error',
    });
    // A field that failed (thrown or rejected) is not recorded as read.
    expect(answer.audit).toEqual(KIDS.map((k) => ({ childId: k.id, categories: ['ID_BASIC'] })));
  });

  it('entities come back with their fields ruled per child', async () => {
    const answer = await both_ways(ENTITIES, caller(['finance-officer']), { representations });
    expect(answer.data).toMatchObject({
      _entities: [
        { id: 'C1', name: 'Child C1', upn: null, funding: null },
        { id: 'C2', upn: null },
        null,
        null,
      ],
    });
    expect(answer.errors.map((error) => error.path?.join('.'))).toEqual(
      expect.arrayContaining(['_entities.0.upn', '_entities.0.placement', '_entities.1.pep']),
    );
  });

  it('a caller who may not is refused the query, the mutation and the SDL alike', async () => {
    const answer = await both_ways('mutation { changePep }', caller(['finance-officer']));
    expect(answer.data).toEqual({ changePep: null });
    expect(answer.errors[0]?.extensions?.code).toBe('FORBIDDEN');
    const sdl = await both_ways('{ _service { sdl } }', null);
    expect(sdl.data).toBeNull();
    expect(sdl.errors[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('which rules take the synchronous path', () => {
  it('our role, category and per-child rules only', () => {
    expect(isSynchronousRule(isAuthenticated)).toBe(true);
    expect(isSynchronousRule(hasRole('teacher'))).toBe(true);
    expect(isSynchronousRule(mayRead('PEP'))).toBe(true);
    expect(isSynchronousRule(mayChange('PEP'))).toBe(true);
    expect(isSynchronousRule(classroom)).toBe(true);
    expect(isSynchronousRule(both)).toBe(false);
    expect(isSynchronousRule(rule('elsewhere', { cache: 'no_cache' })(() => true))).toBe(false);
    expect(isSynchronousRule(allow)).toBe(false);
    expect(isSynchronousRule(guardedByParent)).toBe(false);
  });

  it('answers a query over synchronous rules and resolvers without a promise', async () => {
    const who = caller(['virtual-school-head']);
    const context = contextFor(who);
    // Admit the children as a loader would, then read them back synchronously.
    await context.auth.scope.filter(KIDS, (k) => k);
    const document = parse('{ admitted { id name upn classroom } }');
    const answer = execute({ schema: fast, document, contextValue: context });
    expect(answer).not.toBeInstanceOf(Promise);
    expect((answer as ExecutionResult).data).toEqual({
      admitted: KIDS.map((k) => ({
        id: k.id,
        name: `Child ${k.id}`,
        upn: k.upn,
        // C2's classroom rule throws (see `classroom`), which refuses.
        classroom: k.id === 'C2' ? null : `room ${k.id}`,
      })),
    });
    // graphql-shield's own middleware is async on every field, and so is a logic rule's.
    expect(execute({ schema: reference, document, contextValue: context })).toBeInstanceOf(Promise);
    const logic = execute({
      schema: fast,
      document: parse('{ admitted { both } }'),
      contextValue: context,
    });
    expect(logic).toBeInstanceOf(Promise);
    await logic;
  });
});
