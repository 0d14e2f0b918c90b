/** The alerts subgraph's resolvers: alerts (`alert-queries.ts`) and webhooks (`webhooks.ts`). */
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { EventStorePort } from '../../stores/events/types';
import type { WebhookStore } from '../../stores/events/webhook-store';
import type { ScopedContext } from '../scoped-subgraph';
import { acknowledgeAlert, alertDigest, alerts } from './alert-queries';
import type { AlertsConfig } from './config';
import * as webhooks from './webhooks';

export interface AlertsContext extends ScopedContext {
  events: EventStorePort;
  webhooks: WebhookStore;
  config: AlertsConfig;
}

type Args<T> = T & Record<string, unknown>;

export const alertsResolvers: GraphQLResolverMap<AlertsContext> = {
  Query: {
    alerts: (_parent, args: Args<Parameters<typeof alerts>[0]>, context) => alerts(args, context),
    alertDigest: (_parent, args: Args<{ since?: string | null }>, context) =>
      alertDigest(args, context),
    webhookSubscriptions: (_parent, _args, context) => webhooks.webhookSubscriptions(context),
    webhookDeadLetters: (_parent, args: Args<{ first?: number | null }>, context) =>
      webhooks.webhookDeadLetters(args, context),
  },
  Mutation: {
    acknowledgeAlert: (_parent, args: Args<{ id: string }>, context) =>
      acknowledgeAlert(args, context),
    registerWebhook: (_parent, args: Args<{ input: webhooks.RegisterWebhookInput }>, context) =>
      webhooks.registerWebhook(args, context),
    disableWebhook: (_parent, args: Args<{ id: string }>, context) =>
      webhooks.disableWebhook(args, context),
    redeliverWebhook: (_parent, args: Args<{ deliveryId: string }>, context) =>
      webhooks.redeliverWebhook(args, context),
  },
};
