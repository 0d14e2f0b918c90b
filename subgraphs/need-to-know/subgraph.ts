/**
 * Composition root of the need-to-know subgraph: CLA Graph's own store of grants, the
 * education system's staff records, per-request loaders, the caller's scope and the
 * resolvers, wired into the shared subgraph server behind the gateway's token and this
 * subgraph's permissions. Nothing starts until a caller asks.
 */
import { createRequestAuth } from '../../lib/authz/request-auth';
import { applyPermissions } from '../../lib/authz/rules';
import { createScopeDependencies, type SubgraphSecurity } from '../../lib/authz/subgraph-security';
import { createSubgraphApp, type SubgraphApp } from '../../lib/graphql/subgraph-server';
import type { NeedToKnowStore } from '../../stores/need-to-know/need-to-know-store';
import type { NeedToKnowConfig } from './config';
import { createNeedToKnowLoaders } from './loaders';
import { needToKnowAudit, needToKnowPermissions } from './permissions';
import { needToKnowResolvers, type NeedToKnowContext } from './resolvers';
import { createSchoolScopes } from './school-scopes';
import { StaffClient } from './staff-client';

const NO_CHILD = '0000000';

export async function createNeedToKnowSubgraph(
  config: NeedToKnowConfig,
  security: SubgraphSecurity,
  store: NeedToKnowStore,
): Promise<SubgraphApp> {
  const scope = createScopeDependencies(config.scope, security.needToKnow);
  const staff = new StaffClient(scope.education);
  return createSubgraphApp<NeedToKnowContext>({
    name: 'need-to-know',
    resolvers: needToKnowResolvers,
    permissions: applyPermissions(needToKnowPermissions, ...needToKnowAudit),
    verifyIdentity: security.verifyIdentity,
    // Fresh loaders and scope per request: nothing cached outlives the request that read it.
    context: async (_request, identity) => {
      const auth = createRequestAuth(identity, scope);
      // The caller as this authority sees them (another authority's token: placing authority).
      const caller = auth.caller;
      return {
        store,
        loaders: createNeedToKnowLoaders(store, staff),
        caller,
        auth,
        schools: createSchoolScopes(caller, scope),
      };
    },
    // Ready when the database answers a real read (an id no child has: nothing comes back).
    ready: async () => {
      await store.history(NO_CHILD);
      return true;
    },
    production: config.production,
    onStop: () => scope.close(),
  });
}
