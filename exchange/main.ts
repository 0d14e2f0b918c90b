/**
 * Runs the exchange's register sync on its own (a deployment; `npm run start:services` when
 * EXCHANGE_PARTNERS is set): CLA Graph's PostgreSQL (DATABASE_URL), the partners and our
 * client-credentials settings (exchange/config.ts). One replica is enough; two are safe (the
 * writes are idempotent) but read each partner twice. It serves `/health/live` and
 * `/health/ready` (the database answers) on PORT (default 4009), and stops on SIGINT/SIGTERM
 * after the run in progress.
 */
import express from 'express';
import { z } from 'zod';
import { listen } from '../lib/http/http-server';
import { HEALTH_ROUTES } from '../lib/http/health-routes';
import { parseEnv, port } from '../lib/config';
import { logger } from '../lib/logger';
import { stopOnSignals } from '../lib/process/stop-on-signals';
import { databaseConfig } from '../stores/config';
import { openStores } from '../stores/open-stores';
import { EXCHANGE_SYNC_DEFAULT_PORT, loadExchangeSettings } from './config';
import { RegisterSync } from './register-sync';

const processEnv = z.object({
  PORT: port(EXCHANGE_SYNC_DEFAULT_PORT),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z
    .string({ required_error: 'required: the partner registers are in PostgreSQL' })
    .url(),
});

async function main(): Promise<void> {
  const env = parseEnv(processEnv, process.env);
  const settings = loadExchangeSettings(process.env);
  const stores = await openStores({
    ...databaseConfig(process.env),
    databaseUrl: env.DATABASE_URL,
    dataDir: '',
  });
  const sync = new RegisterSync({ settings, store: stores.partnerRegisters });

  const app = express();
  app.disable('x-powered-by');
  app.get(HEALTH_ROUTES.live, (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get(HEALTH_ROUTES.ready, (_req, res) => {
    void stores.db.query('SELECT 1').then(
      () => res.json({ status: 'ok' }),
      () => res.status(503).json({ status: 'unavailable' }),
    );
  });
  const server = await listen(app, env.PORT, env.HOST);
  sync.start();
  logger.info('partner register sync running', {
    url: server.url,
    status: settings.partners.length > 0 ? 'syncing' : 'no partners',
  });
  stopOnSignals(
    'partner register sync',
    () =>
      server
        .close(1_000)
        .then(() => sync.stop())
        .then(() => stores.close()),
    30_000,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `partner register sync failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
