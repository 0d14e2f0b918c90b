/**
 * `/metrics` for Prometheus on a port of its own (METRICS_PORT), so the public port never
 * serves it and a network policy can let only the scraper reach it. Under gateway workers
 * (node:cluster) the primary serves the workers' metrics summed (`startClusterMetricsServer`)
 * and the workers serve none, so a scrape never sees one worker's counters only.
 */
import { z } from 'zod';
import { AggregatorRegistry } from 'prom-client';
import { parseEnv } from '../config';
import { listen, type RunningServer } from '../http/http-server';
import { metricsRegistry } from './metrics';

interface Exposition {
  contentType: string;
  metrics(): Promise<string>;
}

export async function startMetricsServer(
  metricsPort: number,
  host: string,
  source: Exposition = metricsRegistry,
): Promise<RunningServer> {
  return listen(
    (req, res) => {
      if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') {
        res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
        return;
      }
      source.metrics().then(
        (body) => res.writeHead(200, { 'Content-Type': source.contentType }).end(body),
        () => res.writeHead(500, { 'Content-Type': 'text/plain' }).end('metrics unavailable\n'),
      );
    },
    metricsPort,
    host,
  );
}

const metricsEnv = z.object({
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  HOST: z.string().default('127.0.0.1'),
});

/** `/metrics` on METRICS_PORT (HOST), for a service on its own; nothing when it is unset. */
export async function startMetricsServerFromEnv(
  env: NodeJS.ProcessEnv,
): Promise<RunningServer | undefined> {
  const { METRICS_PORT, HOST } = parseEnv(metricsEnv, env);
  return METRICS_PORT === undefined ? undefined : startMetricsServer(METRICS_PORT, HOST);
}

/**
 * In a cluster's primary: `/metrics` on METRICS_PORT with every worker's metrics (asked over
 * the cluster's IPC channel, summed per series). Nothing when METRICS_PORT is unset.
 */
export async function startClusterMetricsServer(
  env: NodeJS.ProcessEnv,
): Promise<RunningServer | undefined> {
  const { METRICS_PORT, HOST } = parseEnv(metricsEnv, env);
  if (METRICS_PORT === undefined) return undefined;
  const aggregator = new AggregatorRegistry();
  return startMetricsServer(METRICS_PORT, HOST, {
    contentType: aggregator.contentType,
    metrics: () => aggregator.clusterMetrics(),
  });
}
