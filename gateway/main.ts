/**
 * Entry point: the CLA Graph gateway on its own. The access log lives in CLA Graph's shared
 * PostgreSQL database (DATABASE_URL, required here: the embedded database belongs to the
 * all-in-one `npm start`). Whom it trusts callers' tokens from is never a default: without
 * OIDC_ISSUER, OIDC_AUDIENCE and OIDC_JWKS_URL (or OIDC_PUBLIC_KEY), HTTPS and not localhost
 * unless NODE_ENV=development, it refuses to start.
 */
import cluster from 'node:cluster';
import { listen } from '../lib/http/http-server';
import { startClusterMetricsServer } from '../lib/observability/metrics-server';
import { logger } from '../lib/logger';
import { stopOnSignals } from '../lib/process/stop-on-signals';
import { databaseConfig } from '../stores/config';
import { openStores } from '../stores/open-stores';
import { startTracing } from '../lib/tracing';
import { gatewayWorkers, runClustered } from './cluster';
import { loadGatewayConfig } from './config';
import { createGateway } from './server';

async function main(): Promise<void> {
  // Off unless OTEL_EXPORTER_OTLP_ENDPOINT (or the traces endpoint) is set.
  const tracing = await startTracing('cla-graph-gateway');
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
  // Graceful stop: accept no more, let requests in flight finish (each writes its audit before
  // its answer leaves) for up to SHUTDOWN_TIMEOUT_MS, then close the stores. Bounded: a stuck
  // request cannot keep a replica from going away.
  stopOnSignals(
    'gateway',
    () =>
      running
        .close(config.shutdownTimeoutMs)
        .then(() => gateway.stop())
        .then(() => stores.close())
        .then(() => tracing.shutdown()),
    config.shutdownTimeoutMs + 5_000,
  );
}

// A reason, never a stack trace (config errors name variables, not values).
const failed = (error: unknown): void => {
  process.stderr.write(
    `gateway failed to start: ${error instanceof Error ? error.message : String(error)}\n` +
      '(`npm start` runs the development system, which gives the gateway its settings)\n',
  );
  process.exit(1);
};

// GATEWAY_WORKERS above 1: this process forks that many workers, each running main() (cluster.ts).
try {
  const workers = gatewayWorkers();
  // With workers, METRICS_PORT is the primary's: it serves every worker's metrics, summed.
  if (workers > 1 && cluster.isPrimary) void startClusterMetricsServer(process.env).catch(failed);
  runClustered(workers, () => void main().catch(failed));
} catch (error) {
  failed(error);
}
