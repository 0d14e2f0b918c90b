/**
 * Composition root of the social care subgraph: the upstream client, per-request loaders, the
 * caller's scope and the resolvers, wired into the shared subgraph server behind the
 * gateway's token and this subgraph's permissions. Nothing starts until a caller asks.
 */
import { applyPermissions } from '../../lib/authz/rules';
import { createScopeDependencies } from '../../lib/authz/subgraph-security';
import type { SubgraphApp } from '../../lib/graphql/subgraph-server';
import type { SubgraphDepsWith } from '../descriptor';
import { createScopedSubgraph } from '../scoped-subgraph';
import { SocialCareClient } from '../../upstream/social-care/client';
import type { SocialCareConfig } from './config';
import { createSocialCareLoaders } from './loaders';
import { createPepWorkflowContext } from './pep-workflow/context';
import { socialCareAudit, socialCarePermissions } from './permissions';
import { socialCareResolvers, type SocialCareContext } from './resolvers';

/** `deps.stores.pepHistory`: CLA Graph's history of the PEP changes made through the graph. */
export async function createSocialCareSubgraph(
  config: SocialCareConfig,
  deps: SubgraphDepsWith<'pepHistory'>,
): Promise<SubgraphApp> {
  const history = deps.stores.pepHistory;
  const client = SocialCareClient.fromConfig(config.socialCare);
  const la = { ...config.la };
  // The scope look-ups' read-only education client also reads the worklists' facts.
  const scope = createScopeDependencies(config.scope, deps.needToKnow);
  const education = scope.education;
  return createScopedSubgraph<SocialCareContext>({
    name: 'social-care',
    config,
    deps,
    scope,
    resolvers: socialCareResolvers,
    permissions: applyPermissions(socialCarePermissions, ...socialCareAudit),
    upstream: client,
    // Fresh loaders per request: nothing cached outlives the request that fetched it. The
    // date is read once, so every field of one answer agrees on "today".
    context: ({ clock }) => ({
      client,
      education,
      loaders: createSocialCareLoaders(client),
      pepWorkflow: createPepWorkflowContext(history),
      mapping: { asOf: clock(), la },
    }),
  });
}
