/**
 * Every subgraph's `main.ts`: refuse to start without its identity settings (whose keys to
 * trust, which authority it serves: no defaults), parse its configuration, build it from its
 * descriptor, listen on its port, say where, and on SIGINT/SIGTERM stop accepting, drain,
 * close its resources and exit. A start-up failure prints the reason, no stack trace (config
 * errors name variables, never values), and exits 1.
 */
import { z } from 'zod';
import { requireStandaloneIdentity } from '../lib/authz/subgraph-security';
import { milliseconds, parseEnv } from '../lib/config';
import { listen } from '../lib/http/http-server';
import { logger } from '../lib/logger';
import { stopOnSignals } from '../lib/process/stop-on-signals';
import { startMetricsServerFromEnv } from '../lib/observability/metrics-server';
import { startTracing } from '../lib/tracing';
import type { SubgraphDescriptor } from './descriptor';
import { standaloneDeps } from './standalone-security';

/** How long a stopping subgraph lets requests in flight finish before ending their sockets. */
const shutdownEnv = z.object({ SHUTDOWN_TIMEOUT_MS: milliseconds(10_000) });

export function runSubgraph(descriptor: SubgraphDescriptor): void {
  const label = descriptor.name;
  const main = async () => {
    requireStandaloneIdentity(process.env);
    const tracing = await startTracing(`cla-graph-${label}`);
    const config = descriptor.loadConfig(process.env);
    const { SHUTDOWN_TIMEOUT_MS: drainMs } = parseEnv(shutdownEnv, process.env);
    const { deps, close } = await standaloneDeps(descriptor, config);
    const subgraph = await descriptor.create(config, deps);
    const server = await listen(subgraph.app, config.port, config.host);
    logger.info(`${label} subgraph listening`, { url: `${server.url}/graphql` });
    // Its council-system calls, breakers and caches, for Prometheus (METRICS_PORT, when set).
    const metrics = await startMetricsServerFromEnv(process.env);
    stopOnSignals(
      `${label} subgraph`,
      () =>
        server
          .close(drainMs)
          .then(() => subgraph.stop())
          .then(() => metrics?.close())
          .then(() => close())
          .then(() => tracing.shutdown()),
      drainMs + 5_000,
    );
  };
  main().catch((error: unknown) => {
    process.stderr.write(
      `${label} subgraph failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  });
}
