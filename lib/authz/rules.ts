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

export interface AuthzContext {
  caller: Caller | null;
  /** The request's scope, in subgraphs that serve children's records. */
  auth?: { scope: ChildScope };
}

export const isAuthenticated = rule('isAuthenticated', { cache: 'contextual' })(
  (_parent, _args, context: AuthzContext) => context.caller !== null,
);

/**
 * graphql-shield insists that one rule name is one rule object, so the factories below hand
 * out the same object for the same arguments.
 */
const named = new Map<string, ReturnType<ReturnType<typeof rule>>>();
function once(name: string, make: () => ReturnType<ReturnType<typeof rule>>) {
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
    rule(name, { cache: 'contextual' })(
      (_parent, _args, context: AuthzContext) =>
        context.caller !== null && context.caller.roles.some((role) => roles.includes(role)),
    ),
  );
};

export const mayRead = (category: Category) => {
  const name = `mayRead:${category}`;
  return once(name, () =>
    rule(name, { cache: 'contextual' })((_parent, _args, context: AuthzContext) =>
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
    rule(name, { cache: 'contextual' })((_parent, _args, context: AuthzContext) =>
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
  const rules = new Map<Category, ReturnType<ReturnType<typeof rule>>>();
  return (category: Category) => {
    let made = rules.get(category);
    if (!made) {
      made = rule(`mayReadOfChild:${typeName}:${category}:${set}`, { cache: 'no_cache' })(
        (parent: TParent, _args, context: AuthzContext) =>
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
  const rulesShield = shield(tree, {
    // Unreachable once `checkRuleCoverage` has passed (every field has a rule), and kept so
    // that a field the check somehow missed is refused rather than open.
    fallbackRule: deny,
    allowExternalErrors: true,
    fallbackError: () => forbidden(),
  });
  // graphql-shield's own generator wraps every field; this one refuses to build a schema with
  // a field the tree does not cover, then keeps only the fields a rule has to decide.
  const onlyRuled = middleware((schema: GraphQLSchema) => {
    checkRuleCoverage(schema, tree);
    return onlyRuledFields(rulesShield.generate(schema) as IMiddlewareTypeMap, tree);
  });
  // For bench/shield-overhead.ts only: the same rules with graphql-shield wrapping every field.
  return Object.assign(onlyRuled, { everyField: rulesShield });
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
