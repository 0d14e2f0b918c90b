/**
 * A worst-case estimate of how many values an operation can return, refused above a limit
 * before any subgraph is called. Run once the operation is known and validated (Apollo
 * Server's `didResolveOperation`), because page sizes usually arrive as variables.
 *
 * The model, simple enough to reason about:
 * - every field costs 1;
 * - a field with a `first` or `last` argument multiplies what is under it by that number (the
 *   variable's value, else the variable's or the argument's default, else DEFAULT_PAGE_SIZE);
 * - any other list field multiplies what is under it by ASSUMED_LIST_SIZE, except a
 *   connection's `edges` and `nodes`, whose size its `first` already counted.
 * Each fragment is costed once (on its own type condition) and scaled wherever it is spread,
 * so nested fragments cannot make the estimate itself expensive.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import {
  GraphQLError,
  Kind,
  getNamedType,
  getNullableType,
  isCompositeType,
  isListType,
  isObjectType,
  isInterfaceType,
  valueFromASTUntyped,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { ErrorCode } from '../../lib/errors';

/** Assumed length of a list whose size the operation does not set. */
export const ASSUMED_LIST_SIZE = 10;
/** Assumed page size of a `first`/`last` field given no number. */
export const DEFAULT_PAGE_SIZE = 50;

const SLICING_ARGUMENTS = new Set(['first', 'last']);
const CONNECTION_LISTS = new Set(['edges', 'nodes']);

interface CostInput {
  schema: GraphQLSchema;
  operation: OperationDefinitionNode;
  fragments: Record<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
}

export function operationCost({ schema, operation, fragments, variables }: CostInput): number {
  const root =
    operation.operation === 'query'
      ? schema.getQueryType()
      : operation.operation === 'mutation'
        ? schema.getMutationType()
        : schema.getSubscriptionType();
  if (!root) return 0;
  const variableDefaults = new Map<string, unknown>();
  for (const definition of operation.variableDefinitions ?? []) {
    if (definition.defaultValue)
      variableDefaults.set(
        definition.variable.name.value,
        valueFromASTUntyped(definition.defaultValue),
      );
  }
  const variableValue = (name: string): unknown =>
    name in variables ? variables[name] : variableDefaults.get(name);

  const fragmentCosts = new Map<string, number>();
  const inProgress = new Set<string>();

  const pageSize = (node: FieldNode, field: GraphQLField<unknown, unknown> | undefined) => {
    for (const argument of node.arguments ?? []) {
      if (!SLICING_ARGUMENTS.has(argument.name.value)) continue;
      const value =
        argument.value.kind === Kind.VARIABLE
          ? variableValue(argument.value.name.value)
          : valueFromASTUntyped(argument.value);
      if (typeof value === 'number' && Number.isFinite(value)) return Math.max(0, value);
    }
    for (const argument of field?.args ?? []) {
      if (SLICING_ARGUMENTS.has(argument.name) && typeof argument.defaultValue === 'number')
        return argument.defaultValue;
    }
    const sliced = field?.args.some((argument) => SLICING_ARGUMENTS.has(argument.name));
    return sliced ? DEFAULT_PAGE_SIZE : undefined;
  };

  const costOf = (selectionSet: SelectionSetNode, parent: GraphQLCompositeType): number => {
    let total = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        total += fieldCost(selection, parent);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition
          ? schema.getType(selection.typeCondition.name.value)
          : parent;
        if (condition && isCompositeType(condition))
          total += costOf(selection.selectionSet, condition);
      } else {
        total += fragmentCost(selection.name.value);
      }
    }
    return total;
  };

  const fragmentCost = (name: string): number => {
    const known = fragmentCosts.get(name);
    if (known !== undefined) return known;
    const fragment = fragments[name];
    const condition = fragment && schema.getType(fragment.typeCondition.name.value);
    if (!fragment || !condition || !isCompositeType(condition) || inProgress.has(name)) return 0;
    inProgress.add(name);
    const cost = costOf(fragment.selectionSet, condition);
    inProgress.delete(name);
    fragmentCosts.set(name, cost);
    return cost;
  };

  const fieldCost = (node: FieldNode, parent: GraphQLCompositeType): number => {
    const name = node.name.value;
    if (name.startsWith('__')) return name === '__typename' ? 1 : 0;
    const field =
      isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
    if (!node.selectionSet || !field) return 1;
    const type = getNamedType(field.type);
    if (!isCompositeType(type)) return 1;
    const multiplier =
      pageSize(node, field) ??
      (isListType(getNullableType(field.type)) && !CONNECTION_LISTS.has(name)
        ? ASSUMED_LIST_SIZE
        : 1);
    return 1 + multiplier * costOf(node.selectionSet, type);
  };

  return costOf(operation.selectionSet, root);
}

/** Refuses, as a 400 QUERY_TOO_COMPLEX, an operation whose estimated cost is over `maxCost`. */
export function queryCostPlugin(maxCost: number): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, operation, document, request }) {
          if (!operation) return;
          const fragments: Record<string, FragmentDefinitionNode> = {};
          for (const definition of document.definitions) {
            if (definition.kind === Kind.FRAGMENT_DEFINITION)
              fragments[definition.name.value] = definition;
          }
          const cost = operationCost({
            schema,
            operation,
            fragments,
            variables: request.variables ?? {},
          });
          if (cost > maxCost) {
            throw new GraphQLError(`The query's estimated cost is more than ${maxCost}.`, {
              extensions: { code: ErrorCode.QUERY_TOO_COMPLEX, http: { status: 400 } },
            });
          }
        },
      };
    },
  };
}
