/**
 * Webhook subscriptions through the graph: register (the caller's audience and readable
 * categories are recorded with it, so a delivery is what the owner would read in `alerts`),
 * list, disable, and the dead-letter list. The head manages every subscription of the
 * authority; anyone else their own. A URL must be http(s) without credentials, https in
 * production, and on WEBHOOK_ALLOWED_HOSTS when that is set, so a caller cannot make CLA
 * Graph post to the council's internal services.
 */
import { EVENT_TYPE_NAMES, audiencesOf, type EventType } from '../../events/types';
import { webhookUrlProblem } from '../../events/webhooks/config';
import { subscriptionSecret } from '../../events/webhooks/signature';
import { hasRole, type Caller } from '../../identity/caller';
import { readableCategories } from '../../lib/authz/categories';
import { badUserInput, ErrorCode, PublicError } from '../../lib/errors';
import { pageSize } from '../../lib/graphql/relay';
import type { WebhookStore } from '../../stores/events/webhook-store';
import type { Delivery, WebhookScope, WebhookSubscription } from '../../stores/events/types';
import type { AlertsConfig } from './config';

export interface WebhookContext {
  caller: Caller | null;
  webhooks: WebhookStore;
  config: Pick<AlertsConfig, 'webhookAllowedHosts' | 'webhookSigningKey' | 'webhookRequireHttps'>;
}

export interface RegisterWebhookInput {
  url: string;
  types?: readonly string[] | null;
  digest?: boolean | null;
  description?: string | null;
}

const notFound = (what: string) => new PublicError(ErrorCode.NOT_FOUND, `No such ${what}.`);

/** Whose subscriptions the caller manages: the head, the authority's; anyone else, their own. */
function scopeOf(caller: Caller): WebhookScope {
  return hasRole(caller, 'virtual-school-head') ? { la: caller.la } : { ownerSub: caller.sub };
}

function hostAllowed(host: string, allowed: readonly string[] | null): boolean {
  if (allowed === null) return true;
  const name = host.toLowerCase();
  return allowed.some((entry) =>
    entry.startsWith('.') ? name.endsWith(entry) && name.length > entry.length : name === entry,
  );
}

function checkInput(input: RegisterWebhookInput, context: WebhookContext) {
  const problems: string[] = [];
  const urlProblem = webhookUrlProblem(input.url, context.config.webhookRequireHttps);
  if (input.url.length > 2_000) problems.push('`input.url` is longer than 2,000 characters');
  else if (urlProblem) problems.push(`\`input.url\` is ${urlProblem}`);
  else if (!hostAllowed(new URL(input.url).hostname, context.config.webhookAllowedHosts)) {
    problems.push('`input.url` is not on a host webhooks may be sent to (WEBHOOK_ALLOWED_HOSTS)');
  }
  const known = new Set<string>(EVENT_TYPE_NAMES);
  const types = [...new Set(input.types ?? [])];
  if (types.some((type) => !known.has(type))) problems.push('`input.types` holds unknown types');
  const description = input.description?.trim() || null;
  if (description && description.length > 200) {
    problems.push('`input.description` is longer than 200 characters');
  }
  if (problems.length > 0) throw badUserInput(`${problems.join('; ')}.`);
  return {
    url: input.url,
    types: types as EventType[],
    digest: input.digest === true,
    description,
  };
}

export function toSubscription(subscription: WebhookSubscription) {
  return {
    id: subscription.id,
    url: subscription.url,
    types: subscription.types,
    digest: subscription.digest,
    description: subscription.description,
    owner: subscription.ownerSub,
    createdAt: subscription.createdAt,
    disabledAt: subscription.disabledAt,
  };
}

export function toDelivery(delivery: Delivery) {
  return {
    id: delivery.id,
    subscriptionId: delivery.subscriptionId,
    idempotencyKey: delivery.idempotencyKey,
    status: delivery.status,
    attempts: delivery.attempts,
    lastStatus: delivery.lastStatus,
    lastError: delivery.lastError,
    createdAt: delivery.createdAt,
    nextAttemptAt: delivery.nextAttemptAt,
  };
}

export async function registerWebhook(
  args: { input: RegisterWebhookInput },
  context: WebhookContext,
) {
  const caller = context.caller;
  if (!caller) throw new PublicError(ErrorCode.UNAUTHENTICATED);
  const input = checkInput(args.input, context);
  const subscription = await context.webhooks.createSubscription({
    ownerSub: caller.sub,
    ownerRoles: caller.roles,
    ownerLa: caller.la,
    ownerUrns: caller.urns,
    audience: audiencesOf(caller),
    categories: readableCategories(caller),
    ...input,
  });
  return {
    subscription: toSubscription(subscription),
    secret: subscriptionSecret(context.config.webhookSigningKey, subscription.id),
  };
}

export async function webhookSubscriptions(context: WebhookContext) {
  const caller = context.caller;
  if (!caller) return [];
  const scope = scopeOf(caller);
  const all = scope.la
    ? (await context.webhooks.activeSubscriptions()).filter((s) => s.ownerLa === scope.la)
    : await context.webhooks.subscriptionsOf(caller.sub);
  return all.map(toSubscription);
}

export async function disableWebhook(args: { id: string }, context: WebhookContext) {
  const caller = context.caller;
  if (!caller) throw notFound('webhook subscription');
  const disabled = await context.webhooks.disableSubscription(args.id, caller.sub, scopeOf(caller));
  if (!disabled) throw notFound('webhook subscription');
  return toSubscription(disabled);
}

export async function webhookDeadLetters(args: { first?: number | null }, context: WebhookContext) {
  const caller = context.caller;
  if (!caller) return [];
  const dead = await context.webhooks.deadLetters(scopeOf(caller), pageSize(args.first));
  return dead.map(toDelivery);
}

export async function redeliverWebhook(args: { deliveryId: string }, context: WebhookContext) {
  const caller = context.caller;
  if (!caller) throw notFound('dead-lettered delivery');
  const delivery = await context.webhooks.redeliver(args.deliveryId, caller.sub, scopeOf(caller));
  if (!delivery) throw notFound('dead-lettered delivery');
  return toDelivery(delivery);
}
