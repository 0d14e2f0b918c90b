/** Composition root of the access-log subgraph: the audit store behind the gateway's token and AUDIT rules. */
import { createRequestAuth } from '../../lib/authz/request-auth';
import { applyPermissions } from '../../lib/authz/rules';
import { createScopeDependencies, type SubgraphSecurity } from '../../lib/authz/subgraph-security';
import { createSubgraphApp, type SubgraphApp } from '../../lib/graphql/subgraph-server';
import type { AuditStore } from '../../stores/audit/audit-store';
import type { AccessLogConfig } from './config';
import { accessLogPermissions } from './permissions';
import { accessLogResolvers, type AccessLogContext } from './resolvers';

export async function createAccessLogSubgraph(
  config: AccessLogConfig,
  security: SubgraphSecurity,
  store: AuditStore,
): Promise<SubgraphApp> {
  const scope = createScopeDependencies(config.scope, security.needToKnow);
  return createSubgraphApp<AccessLogContext>({
    name: 'access-log',
    resolvers: accessLogResolvers,
    permissions: applyPermissions(accessLogPermissions),
    verifyIdentity: security.verifyIdentity,
    context: async (_request, identity) => {
      const auth = createRequestAuth(identity, scope);
      return {
        // The caller as this authority sees them (another authority's token: placing authority).
        caller: auth.caller,
        auth,
        store,
      };
    },
    production: config.production,
    onStop: () => scope.close(),
  });
}
