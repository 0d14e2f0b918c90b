/**
 * Composition root of the education subgraph: the upstream client, per-request loaders, the
 * caller's scope and the resolvers, wired into the shared subgraph server behind the
 * gateway's token and this subgraph's permissions. Nothing starts until a caller asks.
 */
import { createRequestAuth } from '../../lib/authz/request-auth';
import { applyPermissions } from '../../lib/authz/rules';
import { createScopeDependencies, type SubgraphSecurity } from '../../lib/authz/subgraph-security';
import { createSubgraphApp, type SubgraphApp } from '../../lib/graphql/subgraph-server';
import { EducationClient } from './client';
import type { EducationConfig } from './config';
import { createEducationLoaders } from './loaders';
import { educationAudit, educationPermissions } from './permissions';
import { educationResolvers, type EducationContext } from './resolvers';

export async function createEducationSubgraph(
  config: EducationConfig,
  security: SubgraphSecurity,
): Promise<SubgraphApp> {
  const client = EducationClient.fromConfig(config.education);
  const scope = createScopeDependencies(config.scope, security.needToKnow);
  return createSubgraphApp<EducationContext>({
    name: 'education',
    resolvers: educationResolvers,
    permissions: applyPermissions(educationPermissions, ...educationAudit),
    verifyIdentity: security.verifyIdentity,
    // Fresh loaders and scope per request: nothing cached outlives the request that fetched it.
    context: async (_request, identity) => ({
      loaders: createEducationLoaders(client),
      laCode: config.laCode,
      caller: identity?.caller ?? null,
      auth: createRequestAuth(identity, scope),
    }),
    ready: () => client.isHealthy(),
    production: config.production,
    onStop: () => {
      client.close();
      scope.close();
    },
  });
}
