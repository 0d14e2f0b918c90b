/**
 * Entry point: the CLA Graph gateway on its own. The access log lives in CLA Graph's shared
 * PostgreSQL database (DATABASE_URL, required here: the embedded database belongs to the
 * all-in-one `npm start`). Whom it trusts callers' tokens from is never a default: without
 * OIDC_ISSUER, OIDC_AUDIENCE and OIDC_JWKS_URL (or OIDC_PUBLIC_KEY), HTTPS and not localhost
 * unless NODE_ENV=development, it refuses to start.
 */
import { listen } from '../lib/http/http-server';
import { logger } from '../lib/logger';
import { databaseConfig } from '../stores/config';
import { openStores } from '../stores/open-stores';
import { loadGatewayConfig } from './config';
import { createGateway } from './server';

async function main(): Promise<void> {
  const config = loadGatewayConfig();
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    throw new Error(
      'DATABASE_URL is required to run the gateway on its own (the access log); use `npm start` for the all-in-one system.',
    );
  }
  const stores = await openStores({ ...databaseConfig(), databaseUrl, dataDir: '' });
  const gateway = await createGateway(config, { accessLog: stores.audit });
  const running = await listen(gateway.app, config.port, config.host, config.serverTimeouts);
  logger.info('gateway listening', { url: `${running.url}/graphql` });
  const shutdown = async () => {
    await running.close();
    await gateway.stop();
    await stores.close();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

// A reason, never a stack trace (config errors name variables, not values).
main().catch((error: unknown) => {
  process.stderr.write(
    `gateway failed to start: ${error instanceof Error ? error.message : String(error)}\n` +
      '(`npm start` runs the development system, which gives the gateway its settings)\n',
  );
  process.exit(1);
});
