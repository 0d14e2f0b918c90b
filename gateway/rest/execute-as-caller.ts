/**
 * Plain HTTP exports (CSV, JSON) answer by running a GraphQL operation through the gateway as
 * the caller, so every rule the graph enforces (authentication, shield, scope, audit, limits)
 * applies to them unchanged: an export can never show more than the same query would.
 */
import type { ApolloServer } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import type { InternalIdentity } from '../../identity/internal-token';
import type { GatewayContext } from '../subgraph-data-source';

export interface ExecutionResult<T> {
  data: T | null;
  errors: readonly GraphQLFormattedError[];
}

export type ExecuteAsCaller = <T = Record<string, unknown>>(
  identity: InternalIdentity,
  query: string,
  variables?: Record<string, unknown>,
) => Promise<ExecutionResult<T>>;

export function executorFor(
  server: ApolloServer<GatewayContext>,
  contextFor: (identity: InternalIdentity) => GatewayContext,
): ExecuteAsCaller {
  return async <T>(
    identity: InternalIdentity,
    query: string,
    variables?: Record<string, unknown>,
  ) => {
    const response = await server.executeOperation<T & Record<string, unknown>>(
      { query, variables },
      { contextValue: contextFor(identity) },
    );
    if (response.body.kind !== 'single') throw new Error('incremental delivery is not used here');
    const result = response.body.singleResult;
    return { data: (result.data ?? null) as T | null, errors: result.errors ?? [] };
  };
}
