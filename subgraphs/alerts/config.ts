/**
 * The alerts subgraph's environment, parsed once at start. Its alerts live in CLA Graph's
 * database (the outbox, given to the factory as a store); what it asks the council's systems
 * (scope facts, school rolls) goes through the scope credentials (`loadScopeConfig`). Its own:
 * which hosts a webhook may point at, and the key each subscription's signing secret is
 * derived from.
 */
import { z } from 'zod';
import { loadWebhookConfig } from '../../events/webhooks/config';
import { parseEnv } from '../../lib/config';
import { subgraphConfig, subgraphEnv, type SubgraphConfig } from '../descriptor';

/** Where it listens unless PORT says otherwise (its descriptor's `defaultPort`). */
export const DEFAULT_PORT = 4007;

const schema = z
  .object({
    ...subgraphEnv(DEFAULT_PORT),
    /**
     * Hosts a webhook may be registered to (comma-separated; `.example.org` allows its
     * subdomains). Required in production, so a caller cannot point deliveries at the
     * council's own internal services; any host in development.
     */
    WEBHOOK_ALLOWED_HOSTS: z.string().optional(),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production' && !env.WEBHOOK_ALLOWED_HOSTS?.trim()) {
      ctx.addIssue({
        code: 'custom',
        path: ['WEBHOOK_ALLOWED_HOSTS'],
        message: 'required in production: the hosts webhooks may be sent to',
      });
    }
  });

export interface AlertsConfig extends SubgraphConfig {
  /** Null: any host (development only). */
  webhookAllowedHosts: readonly string[] | null;
  /** The key each subscription's signing secret is derived from (shown once at registration). */
  webhookSigningKey: string;
  /** Production: webhooks to https:// URLs only. */
  webhookRequireHttps: boolean;
}

export function loadAlertsConfig(env: NodeJS.ProcessEnv = process.env): AlertsConfig {
  const parsed = parseEnv(schema, env);
  const hosts = parsed.WEBHOOK_ALLOWED_HOSTS?.split(',')
    .map((host) => host.trim().toLowerCase())
    .filter((host) => host.length > 0);
  const webhooks = loadWebhookConfig(env);
  return {
    ...subgraphConfig(parsed, env),
    webhookAllowedHosts: hosts && hosts.length > 0 ? hosts : null,
    webhookSigningKey: webhooks.signingKey,
    webhookRequireHttps: webhooks.requireHttps,
  };
}
