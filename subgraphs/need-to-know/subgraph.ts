/**
 * Composition root of the need-to-know subgraph: CLA Graph's own store of grants, the
 * education system's staff records, per-request loaders, the caller's scope and the
 * resolvers, wired into the shared subgraph server behind the gateway's token and this
 * subgraph's permissions. Nothing starts until a caller asks.
 */
import { applyPermissions } from '../../lib/authz/rules';
import { createScopeDependencies } from '../../lib/authz/subgraph-security';
import type { SubgraphApp } from '../../lib/graphql/subgraph-server';
import type { SubgraphDepsWith } from '../descriptor';
import { createScopedSubgraph } from '../scoped-subgraph';
import type { NeedToKnowConfig } from './config';
import { createNeedToKnowLoaders } from './loaders';
import { needToKnowAudit, needToKnowPermissions } from './permissions';
import { needToKnowResolvers, type NeedToKnowContext } from './resolvers';
import { createSchoolScopes } from './school-scopes';

const NO_CHILD = '0000000';

/** `deps.stores.needToKnow`: the grants this subgraph serves and changes. */
export async function createNeedToKnowSubgraph(
  config: NeedToKnowConfig,
  deps: SubgraphDepsWith<'needToKnow'>,
): Promise<SubgraphApp> {
  const store = deps.stores.needToKnow;
  const scope = createScopeDependencies(config.scope, deps.needToKnow);
  const staff = scope.education;
  return createScopedSubgraph<NeedToKnowContext>({
    name: 'need-to-know',
    config,
    deps,
    scope,
    resolvers: needToKnowResolvers,
    permissions: applyPermissions(needToKnowPermissions, ...needToKnowAudit),
    // Fresh loaders and scope per request: nothing cached outlives the request that read it.
    context: ({ caller }) => ({
      store,
      loaders: createNeedToKnowLoaders(store, staff),
      schools: createSchoolScopes(caller, scope),
      homeLa: scope.homeLa,
    }),
    // Ready when the database answers a real read (an id no child has: nothing comes back).
    ready: async () => {
      await store.history(NO_CHILD);
      return true;
    },
  });
}
