/**
 * Composition root of the finance subgraph: the upstream client, per-request loaders, the
 * caller's scope and the resolvers, wired into the shared subgraph server behind the
 * gateway's token and this subgraph's permissions. Nothing starts until a caller asks.
 */
import { createRequestAuth } from '../../lib/authz/request-auth';
import { applyPermissions } from '../../lib/authz/rules';
import { createScopeDependencies, type SubgraphSecurity } from '../../lib/authz/subgraph-security';
import { clockFor } from '../../lib/clock';
import { createSubgraphApp, type SubgraphApp } from '../../lib/graphql/subgraph-server';
import { FinanceClient } from './client';
import type { FinanceConfig } from './config';
import { createFinanceLoaders } from './loaders';
import { financeAudit, financePermissions } from './permissions';
import { financeResolvers, type FinanceContext } from './resolvers';

export async function createFinanceSubgraph(
  config: FinanceConfig,
  security: SubgraphSecurity,
): Promise<SubgraphApp> {
  const client = FinanceClient.fromConfig(config.finance);
  const scope = createScopeDependencies(config.scope, security.needToKnow);
  const clock = clockFor(config.asOf);
  return createSubgraphApp<FinanceContext>({
    name: 'finance',
    resolvers: financeResolvers,
    permissions: applyPermissions(financePermissions, ...financeAudit),
    verifyIdentity: security.verifyIdentity,
    // Fresh loaders and scope per request: nothing cached outlives the request that fetched it.
    context: async (_request, identity) => {
      const auth = createRequestAuth(identity, scope);
      return {
        loaders: createFinanceLoaders(client),
        clock,
        // The caller as this authority sees them (another authority's token: placing authority).
        caller: auth.caller,
        auth,
      };
    },
    ready: () => client.isHealthy(),
    production: config.production,
    onStop: () => {
      client.close();
      scope.close();
    },
  });
}
