/**
 * Composition root of the finance subgraph: the upstream client, per-request loaders, the
 * caller's scope and the resolvers, wired into the shared subgraph server behind the
 * gateway's token and this subgraph's permissions. Nothing starts until a caller asks.
 */
import { applyPermissions } from '../../lib/authz/rules';
import { createScopeDependencies } from '../../lib/authz/subgraph-security';
import type { SubgraphApp } from '../../lib/graphql/subgraph-server';
import type { SubgraphDepsWith } from '../descriptor';
import { createScopedSubgraph } from '../scoped-subgraph';
import { FinanceClient } from '../../upstream/finance/client';
import type { FinanceConfig } from './config';
import { createFinanceLoaders } from './loaders';
import { financeAudit, financePermissions } from './permissions';
import { financeResolvers, type FinanceContext } from './resolvers';

/** `deps.stores.ppPlusRequests`: the PP+ requests this subgraph serves and changes. */
export async function createFinanceSubgraph(
  config: FinanceConfig,
  deps: SubgraphDepsWith<'ppPlusRequests'>,
): Promise<SubgraphApp> {
  const client = FinanceClient.fromConfig(config.finance);
  const store = deps.stores.ppPlusRequests;
  const scope = createScopeDependencies(config.scope, deps.needToKnow);
  return createScopedSubgraph<FinanceContext>({
    name: 'finance',
    config,
    deps,
    scope,
    resolvers: financeResolvers,
    permissions: applyPermissions(financePermissions, ...financeAudit),
    upstream: client,
    // Fresh loaders per request: nothing cached outlives the request that fetched it.
    context: ({ clock }) => ({
      loaders: createFinanceLoaders(client, store),
      clock,
      store,
      finance: client,
      socialCare: scope.socialCare,
    }),
  });
}
