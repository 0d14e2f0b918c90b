/**
 * Composition root of the social care subgraph: the upstream client, per-request loaders, the
 * caller's scope and the resolvers, wired into the shared subgraph server behind the
 * gateway's token and this subgraph's permissions. Nothing starts until a caller asks.
 */
import { createRequestAuth } from '../../lib/authz/request-auth';
import { applyPermissions } from '../../lib/authz/rules';
import { createScopeDependencies, type SubgraphSecurity } from '../../lib/authz/subgraph-security';
import { clockFor } from '../../lib/clock';
import { createSubgraphApp, type SubgraphApp } from '../../lib/graphql/subgraph-server';
import { SocialCareClient } from './client';
import type { SocialCareConfig } from './config';
import { createSocialCareLoaders } from './loaders';
import { socialCareAudit, socialCarePermissions } from './permissions';
import { socialCareResolvers, type SocialCareContext } from './resolvers';

export async function createSocialCareSubgraph(
  config: SocialCareConfig,
  security: SubgraphSecurity,
): Promise<SubgraphApp> {
  const client = SocialCareClient.fromConfig(config.socialCare);
  const scope = createScopeDependencies(config.scope, security.needToKnow);
  const clock = clockFor(config.asOf);
  const la = { ...config.la };
  return createSubgraphApp<SocialCareContext>({
    name: 'social-care',
    resolvers: socialCareResolvers,
    permissions: applyPermissions(socialCarePermissions, ...socialCareAudit),
    verifyIdentity: security.verifyIdentity,
    // Fresh loaders per request: nothing cached outlives the request that fetched it. The
    // date is read once, so every field of one answer agrees on "today".
    context: async (_request, identity) => {
      const auth = createRequestAuth(identity, scope);
      return {
        client,
        loaders: createSocialCareLoaders(client),
        mapping: { asOf: clock(), la },
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
