/**
 * Static limits on the shape of an operation, checked before anything runs: tokens (in the
 * parser, so an oversized document is never even built), then depth, aliases and directives
 * (validation rules, run in the same pass as GraphQL's own). Fragments are expanded as the
 * executor would expand them, with each fragment measured once, so nested fragment spreads
 * cannot multiply the work of the check itself.
 *
 * A violation is a 400 with code QUERY_TOO_COMPLEX and a message naming the limit, never the
 * schema (see error-masking.ts).
 */
import type { ApolloServerPlugin } from '@apollo/server';
import {
  GraphQLError,
  Kind,
  type ASTNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type ParseOptions,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { ErrorCode } from '../../lib/errors';

export interface QueryLimits {
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  maxTokens: number;
}

/** A limit the operation broke. The message is ours and names only the limit. */
export class QueryLimitError extends GraphQLError {
  constructor(message: string, node?: ASTNode) {
    super(message, { nodes: node, extensions: { code: ErrorCode.QUERY_TOO_COMPLEX } });
    this.name = 'QueryLimitError';
  }
}

/** Parser options for Apollo Server: graphql-js aborts parsing past `maxTokens`. */
export function parseLimits(limits: QueryLimits): ParseOptions {
  return { maxTokens: limits.maxTokens };
}

/** graphql-js's message when `maxTokens` stops the parser ("more that" in graphql 16). */
export const TOO_MANY_TOKENS = /Document contains more th(?:an|at) \d+ tokens/;

/** Introspection fields are left out of the measures (production refuses them anyway). */
const isIntrospection = (name: string): boolean => name === '__schema' || name === '__type';

type Measure = (selectionSet: SelectionSetNode, fragments: FragmentMeasure) => number;
type FragmentMeasure = (name: string) => number;

/** Measures each named fragment once (and counts a fragment cycle, which validation refuses, as 0). */
function fragmentMeasure(context: ValidationContext, measure: Measure): FragmentMeasure {
  const done = new Map<string, number>();
  const inProgress = new Set<string>();
  const byName = (name: string): number => {
    const known = done.get(name);
    if (known !== undefined) return known;
    const fragment: FragmentDefinitionNode | null | undefined = context.getFragment(name);
    if (!fragment || inProgress.has(name)) return 0;
    inProgress.add(name);
    const value = measure(fragment.selectionSet, byName);
    inProgress.delete(name);
    done.set(name, value);
    return value;
  };
  return byName;
}

/** Deepest chain of fields: `{ a }` is 1, `{ a { b } }` is 2. */
const depthOf: Measure = (selectionSet, fragments) => {
  let deepest = 0;
  for (const selection of selectionSet.selections) {
    let depth = 0;
    if (selection.kind === Kind.FIELD) {
      if (isIntrospection(selection.name.value)) continue;
      depth = 1 + (selection.selectionSet ? depthOf(selection.selectionSet, fragments) : 0);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      depth = depthOf(selection.selectionSet, fragments);
    } else {
      depth = fragments(selection.name.value);
    }
    deepest = Math.max(deepest, depth);
  }
  return deepest;
};

/** Aliases, counting a fragment's once for every place it is spread. */
const aliasesIn: Measure = (selectionSet, fragments) => {
  let count = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.alias) count += 1;
      if (selection.selectionSet) count += aliasesIn(selection.selectionSet, fragments);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      count += aliasesIn(selection.selectionSet, fragments);
    } else {
      count += fragments(selection.name.value);
    }
  }
  return count;
};

/** Directives on fields, fragments and spreads, counting a fragment's once per spread. */
const directivesIn: Measure = (selectionSet, fragments) => {
  let count = 0;
  for (const selection of selectionSet.selections) {
    count += selection.directives?.length ?? 0;
    if (selection.kind === Kind.FRAGMENT_SPREAD) {
      count += fragments(selection.name.value);
    } else if (selection.selectionSet) {
      count += directivesIn(selection.selectionSet, fragments);
    }
  }
  return count;
};

/** A validation rule that measures each operation once and reports when it is over `max`. */
function limitRule(
  measure: Measure,
  max: number,
  describe: (max: number) => string,
  ownCount: (operation: OperationDefinitionNode) => number = () => 0,
): ValidationRule {
  return (context) => {
    const fragments = fragmentMeasure(context, measure);
    return {
      OperationDefinition(operation) {
        const value = measure(operation.selectionSet, fragments) + ownCount(operation);
        if (value > max) context.reportError(new QueryLimitError(describe(max), operation));
        return false;
      },
    };
  };
}

/** Directives on the operation itself and on its variable definitions. */
const operationDirectives = (operation: OperationDefinitionNode): number =>
  (operation.directives?.length ?? 0) +
  (operation.variableDefinitions ?? []).reduce(
    (sum, variable) => sum + (variable.directives?.length ?? 0),
    0,
  );

export function queryLimitRules(limits: QueryLimits): ValidationRule[] {
  return [
    limitRule(
      depthOf,
      limits.maxDepth,
      (max) => `The query is nested more than ${max} levels deep.`,
    ),
    limitRule(aliasesIn, limits.maxAliases, (max) => `The query uses more than ${max} aliases.`),
    limitRule(
      directivesIn,
      limits.maxDirectives,
      (max) => `The query uses more than ${max} directives.`,
      operationDirectives,
    ),
  ];
}

/**
 * When an operation breaks a limit, answer with that alone: a bomb also trips GraphQL's own
 * rules many times over, and echoing each of those back is neither useful nor cheap.
 */
export const limitErrorsOnly: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async willSendResponse({ response }) {
        if (response.body.kind !== 'single') return;
        const result = response.body.singleResult;
        if (result.data !== undefined || !result.errors) return;
        const limits = result.errors.filter(
          (error) => error.extensions?.code === ErrorCode.QUERY_TOO_COMPLEX,
        );
        if (limits.length > 0) result.errors = limits;
      },
    };
  },
};
