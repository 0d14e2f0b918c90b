/**
 * The shared rule library every subgraph's `permissions.ts` is built from: small named
 * graphql-shield rules over the caller the gateway vouched for, and one `subgraphShield`
 * that applies the options we never want to get wrong (deny by default, our FORBIDDEN error,
 * resolver errors such as an upstream failure passed through rather than hidden as
 * "Not Authorised!", and explicit rules for the federation fields).
 *
 * Role and category rules depend only on the caller, so they use `cache: 'contextual'`
 * (one answer per request). Whether a child is in scope is NOT a shield rule: it is decided
 * where children are loaded (resolvers and `__resolveReference`), see `scope.ts`.
 *
 * Every rule made here answers synchronously and is marked so (`synchronousRule`):
 * `subgraphShield` decides those fields without graphql-shield's per-field promises, exactly
 * as graphql-shield would (synchronous-rules.ts). Logic rules (`and`, `or`) and rules made
 * elsewhere keep graphql-shield's own middleware.
 */
import type { GraphQLSchema } from 'graphql';
import { applyMiddleware, middleware, type IMiddlewareTypeMap } from 'graphql-middleware';
import { allow, deny, rule, shield } from 'graphql-shield';
import type { IRules } from 'graphql-shield';
import type { Caller, Role } from '../../identity/caller';
import { forbidden } from '../errors';
import type { Category } from '../../domain/categories';
import { mayReadCategory } from './categories';
import { mayChange as callerMayChange, type Change } from './changes';
import type { ChildScope, ChildSubject } from './scope';
import {
  checkRuleCoverage,
  guardedByParent,
  isRuleFunction,
  onlyRuledFields,
} from './rule-coverage';
import {
  markSynchronous,
  withSynchronousRules,
  type SynchronousCache,
  type SynchronousShieldOptions,
} from './synchronous-rules';

export interface AuthzContext {
  caller: Caller | null;
  /** The request's scope, in subgraphs that serve children's records. */
  auth?: { scope: ChildScope };
}

type ShieldRuleObject = ReturnType<ReturnType<typeof rule>>;

/**
 * A graphql-shield rule whose function answers synchronously (a boolean, never a promise),
 * marked so that `subgraphShield` evaluates it without graphql-shield's per-field promises
 * (synchronous-rules.ts). Only rules made here are marked; any other keeps graphql-shield's
 * own middleware.
 */
function synchronousRule<TParent>(
  name: string,
  cache: SynchronousCache,
  decide: (parent: TParent, args: unknown, context: AuthzContext) => boolean,
): ShieldRuleObject {
  const made = rule(name, { cache })(decide);
  return markSynchronous(made, {
    name,
    cache,
    decide: decide as (parent: unknown, args: unknown, context: unknown) => boolean,
  });
}

export const isAuthenticated = synchronousRule(
  'isAuthenticated',
  'contextual',
  (_parent, _args, context) => context.caller !== null,
);

/**
 * graphql-shield insists that one rule name is one rule object, so the factories below hand
 * out the same object for the same arguments.
 */
const named = new Map<string, ShieldRuleObject>();
function once(name: string, make: () => ShieldRuleObject) {
  let made = named.get(name);
  if (!made) {
    made = make();
    named.set(name, made);
  }
  return made;
}

export const hasRole = (...roles: Role[]) => {
  const name = `hasRole:${[...roles].sort().join(',')}`;
  return once(name, () =>
    synchronousRule(
      name,
      'contextual',
      (_parent, _args, context) =>
        context.caller !== null && context.caller.roles.some((role) => roles.includes(role)),
    ),
  );
};

export const mayRead = (category: Category) => {
  const name = `mayRead:${category}`;
  return once(name, () =>
    synchronousRule(name, 'contextual', (_parent, _args, context) =>
      mayReadCategory(context.caller, category),
    ),
  );
};

/**
 * The caller holds one of these kinds of change (access.md's "may change", lib/authz/changes.ts).
 * Which child they may change is decided where the write happens (scope, per child).
 */
export const mayChange = (...changes: Change[]) => {
  const name = `mayChange:${[...changes].sort().join(',')}`;
  return once(name, () =>
    synchronousRule(name, 'contextual', (_parent, _args, context) =>
      callerMayChange(context.caller, ...changes),
    ),
  );
};

let childRuleSets = 0;

/**
 * Rules for the fields of one child's record, one per category: a field is readable when one
 * of the caller's roles whose scope holds this child may read its category (roles pair with
 * their own scope). The child is the one the parent object is about (`subjectOf`), as
 * admitted by the request's scope; a child that was never admitted reads nothing. Per parent,
 * so not cached (the check is one map look-up). Each call makes its own rules, since each
 * subgraph's parents differ (graphql-shield wants one object per rule name).
 */
export function mayReadOfChild<TParent>(
  typeName: string,
  subjectOf: (parent: TParent) => ChildSubject | null | undefined,
) {
  childRuleSets += 1;
  const set = childRuleSets;
  const rules = new Map<Category, ShieldRuleObject>();
  return (category: Category) => {
    let made = rules.get(category);
    if (!made) {
      made = synchronousRule(
        `mayReadOfChild:${typeName}:${category}:${set}`,
        'no_cache',
        (parent: TParent, _args, context) =>
          context.auth ? context.auth.scope.mayRead(subjectOf(parent), category) : false,
      );
      rules.set(category, made);
    }
    return made;
  };
}

/** Rules for the fields `@apollo/subgraph` adds: the gateway's SDL fetch and entity resolution. */
const FEDERATION_RULES = {
  Query: {
    _service: isAuthenticated,
    // The outer gate only: which entities come back is decided per child in __resolveReference.
    _entities: isAuthenticated,
  },
  _Service: { sdl: isAuthenticated },
};

export { allow, deny, guardedByParent };

/**
 * A deny-by-default shield for one subgraph, merging in the federation rules. A subgraph
 * with no entity types has no `_entities` field: pass `{ entities: false }`. Applying it
 * (`applyPermissions`, at start-up) throws, naming the field, if any field of the schema has
 * neither a rule nor `guardedByParent` (rule-coverage.ts); only fields whose rule must be
 * evaluated are wrapped.
 */
export function subgraphShield(rules: IRules, options: { entities?: boolean } = {}) {
  const merged: Record<string, unknown> = { ...(rules as Record<string, unknown>) };
  for (const [type, fields] of Object.entries(FEDERATION_RULES)) {
    const federationFields: Record<string, unknown> = { ...fields };
    if (type === 'Query' && options.entities === false) delete federationFields._entities;
    const own = merged[type];
    merged[type] = {
      // A rule for the whole type covers its own fields ('*'), not the federation ones.
      ...(isRuleFunction(own) ? { '*': own } : (own as Record<string, unknown> | undefined)),
      ...federationFields,
    };
  }
  const tree = merged as IRules;
  // One set of options for graphql-shield and for the synchronous path, so they cannot differ.
  const shieldOptions: SynchronousShieldOptions = {
    allowExternalErrors: true,
    fallbackError: () => forbidden(),
  };
  const rulesShield = shield(tree, {
    ...shieldOptions,
    // Unreachable once `checkRuleCoverage` has passed (every field has a rule), and kept so
    // that a field the check somehow missed is refused rather than open.
    fallbackRule: deny,
  });
  // graphql-shield's own generator wraps every field; this one refuses to build a schema with
  // a field the tree does not cover, keeps only the fields a rule has to decide, and gives
  // those whose rule answers synchronously a middleware without promises.
  const onlyRuled = (synchronousPath: boolean) =>
    middleware((schema: GraphQLSchema) => {
      checkRuleCoverage(schema, tree);
      const ruled = onlyRuledFields(rulesShield.generate(schema) as IMiddlewareTypeMap, tree);
      return synchronousPath ? withSynchronousRules(ruled, tree, shieldOptions) : ruled;
    });
  // For bench/shield-overhead.ts and the equivalence tests only, the same rules applied the
  // ways they were before: graphql-shield's own middleware on every field (`everyField`), and
  // on the ruled fields only (`asyncRules`).
  return Object.assign(onlyRuled(true), {
    everyField: rulesShield,
    asyncRules: onlyRuled(false),
  });
}

/**
 * Wraps a subgraph schema with its permissions, then any further middleware (the audit
 * recording), for `createSubgraphApp`'s `permissions`. The shield is outermost: a refused
 * field never reaches the middleware inside it.
 */
export function applyPermissions(
  permissions: ReturnType<typeof shield>,
  ...inner: IMiddlewareTypeMap[]
) {
  return (schema: GraphQLSchema): GraphQLSchema => applyMiddleware(schema, permissions, ...inner);
}
