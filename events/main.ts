/**
 * Starts the alert pipeline on its own (`npm run start:services`, a deployment: one replica
 * is enough, more are safe): CLA Graph's PostgreSQL (DATABASE_URL), read-only keys for the
 * social care and education systems, this authority's code, and the webhook signing key (the
 * alerts subgraph derives the same secrets from it). It serves `/health/live` and
 * `/health/ready` (the database and both council systems answer) on PORT, and stops on
 * SIGINT/SIGTERM after the round in progress.
 */
import express from 'express';
import { loadScopeConfig } from '../lib/authz/subgraph-security';
import { listen } from '../lib/http/http-server';
import { logger } from '../lib/logger';
import { stopOnSignals } from '../lib/process/stop-on-signals';
import { databaseConfig } from '../stores/config';
import { openStores } from '../stores/open-stores';
import { loadAlertSettings } from './config';
import { createAlertPipeline } from './pipeline';
import { loadWebhookConfig } from './webhooks/config';
import { HEALTH_ROUTES } from '../lib/http/health-routes';
import { loadAlertWorkerConfig } from './worker-config';

async function main(): Promise<void> {
  const env = loadAlertWorkerConfig(process.env);
  const upstream = loadScopeConfig(process.env);
  const alerts = loadAlertSettings(process.env);
  const webhooks = loadWebhookConfig(process.env);
  const stores = await openStores({
    ...databaseConfig(process.env),
    databaseUrl: env.databaseUrl,
    dataDir: '',
  });
  const pipeline = createAlertPipeline({ alerts, webhooks, upstream, asOf: env.asOf }, stores);

  const app = express();
  app.disable('x-powered-by');
  app.get(HEALTH_ROUTES.live, (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get(HEALTH_ROUTES.ready, (_req, res) => {
    void Promise.all([
      stores.events.cursor('daily-sweep'),
      pipeline.clients.socialCare.isHealthy(),
      pipeline.clients.education.isHealthy(),
    ]).then(
      ([, socialCare, education]) =>
        res.status(socialCare && education ? 200 : 503).json({
          status: socialCare && education ? 'ok' : 'unavailable',
        }),
      () => res.status(503).json({ status: 'unavailable' }),
    );
  });
  const server = await listen(app, env.port, env.host);
  pipeline.start();
  logger.info('alert worker running', {
    url: server.url,
    status: alerts.enabled ? 'polling' : 'disabled',
  });
  stopOnSignals(
    'alert worker',
    () =>
      server
        .close(1_000)
        .then(() => pipeline.stop())
        .then(() => stores.close()),
    30_000,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `alert worker failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
