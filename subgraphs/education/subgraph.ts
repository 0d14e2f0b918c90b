/**
 * Composition root of the education subgraph: the upstream client, per-request loaders, the
 * caller's scope and the resolvers, wired into the shared subgraph server behind the
 * gateway's token and this subgraph's permissions. Nothing starts until a caller asks.
 */
import { createRequestAuth } from '../../lib/authz/request-auth';
import { clockFor } from '../../lib/clock';
import { applyPermissions } from '../../lib/authz/rules';
import { createScopeDependencies, type SubgraphSecurity } from '../../lib/authz/subgraph-security';
import { createSubgraphApp, type SubgraphApp } from '../../lib/graphql/subgraph-server';
import { EducationClient } from './client';
import type { EducationConfig } from './config';
import { createEducationLoaders } from './loaders';
import { educationAudit, educationPermissions } from './permissions';
import { createRegisterContext, type DesignatedTeacherHistory } from './register/context';
import { educationResolvers, type EducationContext } from './resolvers';

/**
 * `designatedTeacherHistory`: CLA Graph's store of changes to the designated teacher register
 * (the register itself lives in the education system).
 */
export async function createEducationSubgraph(
  config: EducationConfig,
  security: SubgraphSecurity,
  designatedTeacherHistory: DesignatedTeacherHistory,
): Promise<SubgraphApp> {
  const client = EducationClient.fromConfig(config.education);
  const scope = createScopeDependencies(config.scope, security.needToKnow);
  const register = {
    client,
    history: designatedTeacherHistory,
    laCode: config.laCode,
    clock: clockFor(config.asOf),
  };
  return createSubgraphApp<EducationContext>({
    name: 'education',
    resolvers: educationResolvers,
    permissions: applyPermissions(educationPermissions, ...educationAudit),
    verifyIdentity: security.verifyIdentity,
    // Fresh loaders and scope per request: nothing cached outlives the request that fetched it.
    context: async (_request, identity) => {
      const loaders = createEducationLoaders(client);
      const auth = createRequestAuth(identity, scope);
      // The caller as this authority sees them (another authority's token: placing authority).
      const caller = auth.caller;
      return {
        loaders,
        laCode: config.laCode,
        caller,
        auth,
        register: createRegisterContext(register, caller, loaders, auth.auditTrail),
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
