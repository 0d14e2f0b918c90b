/**
 * Composition root of the finance subgraph: the upstream client, per-request loaders, the
 * caller's scope and the resolvers, wired into the shared subgraph server behind the
 * gateway's token and this subgraph's permissions. Nothing starts until a caller asks.
 */
import { applyPermissions } from '../../lib/authz/rules';
import type { SubgraphApp } from '../../lib/graphql/subgraph-server';
import type { SubgraphDepsWith } from '../descriptor';
import { createScopedSubgraph } from '../scoped-subgraph';
import { FinanceClient } from '../../upstream/finance/client';
import type { FinanceConfig } from './config';
import { createFinanceLoaders } from './loaders';
import { financeAudit, financePermissions } from './permissions';
import { financeResolvers, type FinanceContext } from './resolvers';

export async function createFinanceSubgraph(
  config: FinanceConfig,
  deps: SubgraphDepsWith,
): Promise<SubgraphApp> {
  const client = FinanceClient.fromConfig(config.finance);
  return createScopedSubgraph<FinanceContext>({
    name: 'finance',
    config,
    deps,
    resolvers: financeResolvers,
    permissions: applyPermissions(financePermissions, ...financeAudit),
    upstream: client,
    // Fresh loaders per request: nothing cached outlives the request that fetched it.
    context: ({ clock }) => ({ loaders: createFinanceLoaders(client), clock }),
  });
}
