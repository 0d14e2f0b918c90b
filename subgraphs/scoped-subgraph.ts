/**
 * The wiring every subgraph that enforces child scope shares: the gateway's token, a fresh request auth per request (the caller as this authority sees
 * them: another authority's token is a placing authority), the subgraph's own permissions
 * unless the factory's caller replaces them, and the readiness and clean-up of the upstream
 * client it owns. Nothing starts until a caller asks.
 */
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { Caller } from '../identity/caller';
import {
  createRequestAuth,
  type RequestAuth,
  type ScopeDependencies,
} from '../lib/authz/request-auth';
import {
  createScopeDependencies,
  type ScopeConfig,
  type SubgraphSecurity,
} from '../lib/authz/subgraph-security';
import { clockFor, type Clock } from '../lib/clock';
import {
  createSubgraphApp,
  type AuditedContext,
  type SubgraphApp,
} from '../lib/graphql/subgraph-server';
import type { PermissionLayer, SubgraphOptions } from './descriptor';

/** What every scoped subgraph's context starts with. */
export interface ScopedContext extends AuditedContext {
  /** The caller (read by the permission rules) and the children they may see. */
  caller: Caller | null;
  auth: RequestAuth;
}

/** One request's caller and auth, and "today", for building the rest of its context. */
export interface ScopedRequest {
  caller: Caller | null;
  auth: RequestAuth;
  /** `deps.clock`, or AS_OF, or the system clock. */
  clock: Clock;
}

export interface ScopedSubgraphOptions<TContext extends ScopedContext> {
  name: string;
  config: { production: boolean; scope: ScopeConfig; asOf?: string };
  deps: SubgraphSecurity & SubgraphOptions;
  /** The long-lived scope clients, when the factory needs them itself; made from `config.scope` otherwise. Closed on stop. */
  scope?: ScopeDependencies & { close(): void };
  resolvers: GraphQLResolverMap<TContext>;
  /** The subgraph's own permission layer (graphql-shield and its audit middleware). */
  permissions: PermissionLayer;
  /** The upstream client the subgraph owns: its health is the subgraph's readiness; closed on stop. */
  upstream?: { isHealthy(): Promise<boolean>; close(): void };
  /** Readiness when it owns no upstream client. */
  ready?: () => Promise<boolean>;
  /** The rest of one request's context: fresh per request, so nothing cached outlives it. */
  context(request: ScopedRequest): Omit<TContext, keyof ScopedContext>;
}

export async function createScopedSubgraph<TContext extends ScopedContext>(
  options: ScopedSubgraphOptions<TContext>,
): Promise<SubgraphApp> {
  const { config, deps, upstream } = options;
  const scope = options.scope ?? createScopeDependencies(config.scope, deps.needToKnow);
  const clock = deps.clock ?? clockFor(config.asOf);
  return createSubgraphApp<TContext>({
    name: options.name,
    resolvers: options.resolvers,
    permissions: deps.permissions ?? options.permissions,
    verifyIdentity: deps.verifyIdentity,
    context: async (_request, identity) => {
      const auth = createRequestAuth(identity, scope);
      const caller = auth.caller;
      // The subgraph's own part and the shared part: together its whole context.
      return { ...options.context({ caller, auth, clock }), caller, auth } as TContext;
    },
    ready: upstream ? () => upstream.isHealthy() : options.ready,
    production: config.production,
    onStop: () => {
      upstream?.close();
      scope.close();
    },
  });
}
