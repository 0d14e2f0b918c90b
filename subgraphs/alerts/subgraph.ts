/**
 * Composition root of the alerts subgraph: CLA Graph's outbox (events, acknowledgements,
 * webhook subscriptions and deliveries), the caller's scope (alerts are checked against it on
 * every read) and the resolvers, behind the gateway's token and this subgraph's permissions.
 * The pipeline that fills the outbox runs elsewhere (`events/alert-worker.ts`).
 */
import { applyPermissions } from '../../lib/authz/rules';
import type { SubgraphApp } from '../../lib/graphql/subgraph-server';
import type { SubgraphDepsWith } from '../descriptor';
import { createScopedSubgraph } from '../scoped-subgraph';
import type { AlertsConfig } from './config';
import { alertsPermissions } from './permissions';
import { alertsResolvers, type AlertsContext } from './resolvers';

/** `deps.stores.events` and `deps.stores.webhooks`: the outbox this subgraph serves. */
export async function createAlertsSubgraph(
  config: AlertsConfig,
  deps: SubgraphDepsWith<'events' | 'webhooks'>,
): Promise<SubgraphApp> {
  const { events, webhooks } = deps.stores;
  return createScopedSubgraph<AlertsContext>({
    name: 'alerts',
    config,
    deps,
    resolvers: alertsResolvers,
    permissions: applyPermissions(alertsPermissions),
    context: () => ({ events, webhooks, config }),
    // Ready when the database answers a real read (an alert no one has: nothing comes back).
    ready: async () => {
      await events.event('1');
      return true;
    },
  });
}
