/**
 * Which fields of a subgraph's schema graphql-shield has to wrap, and the start-up check that
 * keeps deny-by-default true once it wraps only those.
 *
 * graphql-shield on its own wraps every field of every object type in async middleware (the
 * fallback rule for fields without one), value types included: on a page of 500 children
 * that is most of the cost of the shield. Here every field must instead be covered by the
 * rule tree in one of two ways, or the subgraph refuses to start:
 *
 *   - a rule (its own, its type's, or its type's `'*'`): graphql-shield evaluates it, unless
 *     it is `allow`, which admits everyone and so needs no middleware at all;
 *   - `guardedByParent`, declared for a value type (or some of its fields): whoever the rule
 *     of the field that returned the object admitted reads it. Only a type that can be
 *     reached through a ruled field can be declared so: never a root type (Query, Mutation,
 *     Subscription: their fields are where rules start), never an entity the subgraph
 *     resolves (`_entities` returns it directly, checking only that a caller is signed in).
 *
 * A field with neither (a field added to the SDL and forgotten here) is named in the error
 * and the subgraph does not start, rather than being silently open or silently denied.
 */
import {
  isIntrospectionType,
  isObjectType,
  isUnionType,
  Kind,
  type ConstDirectiveNode,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import { allow, rule } from 'graphql-shield';
import type { IRules } from 'graphql-shield';
import type { IMiddlewareTypeMap } from 'graphql-middleware';

type Rule = ReturnType<ReturnType<typeof rule>> | typeof allow;

/**
 * A value type's fields (or some of them) whose access is decided by the rule of the field
 * that returned the object: declared in the rule tree like a rule, but never evaluated (no
 * middleware). The rule body is only a backstop and admits, as `allow` would.
 */
export const guardedByParent = rule('guardedByParent', { cache: 'contextual' })(() => true);

/** A rule, as opposed to a type's map of field rules. */
export function isRuleFunction(entry: unknown): entry is Rule {
  return (
    typeof entry === 'object' &&
    entry !== null &&
    typeof (entry as { resolve?: unknown }).resolve === 'function'
  );
}

/** The rule that applies to one field, as graphql-shield resolves it: field, then `'*'`, then type. */
export function ruleFor(tree: IRules, typeName: string, fieldName: string): Rule | undefined {
  const entry: unknown = (tree as Record<string, unknown>)[typeName];
  if (entry === undefined) return undefined;
  if (isRuleFunction(entry)) return entry;
  const fields = entry as Record<string, unknown>;
  const found = Object.prototype.hasOwnProperty.call(fields, fieldName)
    ? fields[fieldName]
    : fields['*'];
  return isRuleFunction(found) ? found : undefined;
}

/** Object types other than GraphQL's introspection types. */
function objectTypes(schema: GraphQLSchema): GraphQLObjectType[] {
  return Object.values(schema.getTypeMap()).filter(
    (type): type is GraphQLObjectType => isObjectType(type) && !isIntrospectionType(type),
  );
}

/** Whether one `@key` leaves out `resolvable: false` (a reference this subgraph never resolves). */
function isResolvableKey(directive: ConstDirectiveNode): boolean {
  const resolvable = directive.arguments?.find((arg) => arg.name.value === 'resolvable');
  return !(resolvable?.value.kind === Kind.BOOLEAN && resolvable.value.value === false);
}

/**
 * The entity types `_entities` resolves here: members of `_Entity` with a resolvable key.
 * A `resolvable: false` stub (a reference to another subgraph's entity) is not among them.
 */
function resolvableEntities(schema: GraphQLSchema): Set<string> {
  const union = schema.getType('_Entity');
  if (!union || !isUnionType(union)) return new Set();
  return new Set(
    union
      .getTypes()
      .filter((type) => {
        const keys = (type.astNode?.directives ?? []).filter((directive) =>
          ['key', 'federation__key'].includes(directive.name.value),
        );
        // No AST (built in code): assume it resolves, the safe side for this check.
        return keys.length === 0 || keys.some(isResolvableKey);
      })
      .map((type) => type.name),
  );
}

/**
 * Throws, naming every offending field, unless every field of every object type in the
 * schema has a rule, or is `guardedByParent` on a type that may be.
 */
export function checkRuleCoverage(schema: GraphQLSchema, tree: IRules): void {
  const roots = new Set(
    [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]
      .filter((type): type is GraphQLObjectType => Boolean(type))
      .map((type) => type.name),
  );
  const entities = resolvableEntities(schema);
  const problems: string[] = [];
  for (const type of objectTypes(schema)) {
    for (const field of Object.keys(type.getFields())) {
      const name = `${type.name}.${field}`;
      const found = ruleFor(tree, type.name, field);
      if (!found) {
        problems.push(`${name} has no rule (give it one, or declare its type guardedByParent)`);
      } else if (found === guardedByParent && roots.has(type.name)) {
        problems.push(`${name} is a root field: it needs a rule of its own, not guardedByParent`);
      } else if (found === guardedByParent && entities.has(type.name)) {
        problems.push(
          `${name} is on an entity that _entities returns directly: it needs a rule of its ` +
            'own, not guardedByParent',
        );
      }
    }
  }
  if (problems.length > 0) {
    throw new Error(
      'The permissions do not cover the schema (deny by default: every field needs a rule ' +
        `or guardedByParent): ${problems.join('; ')}.`,
    );
  }
}

/**
 * graphql-shield's middleware for the fields that need it: those whose rule is neither
 * `allow` nor `guardedByParent`, both of which admit without looking at anything (so leaving
 * the field unwrapped answers exactly as wrapping it would, without the async hops).
 */
export function onlyRuledFields(middleware: IMiddlewareTypeMap, tree: IRules): IMiddlewareTypeMap {
  const kept: IMiddlewareTypeMap = {};
  for (const [typeName, fields] of Object.entries(middleware)) {
    if (typeof fields !== 'object' || fields === null) continue;
    const ruled = Object.fromEntries(
      Object.entries(fields).filter(([field]) => {
        const found = ruleFor(tree, typeName, field);
        return found !== allow && found !== guardedByParent;
      }),
    );
    if (Object.keys(ruled).length > 0) kept[typeName] = ruled;
  }
  return kept;
}
