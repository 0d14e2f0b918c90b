/**
 * A tiny cluster for `cluster-metrics.test.ts`: the primary serves the summed metrics on
 * METRICS_PORT and forks two workers; each worker counts one rate-limit refusal and tells the
 * primary, which prints "ready" once both have.
 */
import cluster from 'node:cluster';
import { rateLimitRefusals } from '../metrics';
import { startClusterMetricsServer } from '../metrics-server';

if (cluster.isPrimary) {
  void startClusterMetricsServer(process.env).then(() => {
    let counted = 0;
    for (let i = 0; i < 2; i += 1) {
      cluster.fork().on('message', (message: unknown) => {
        if (message !== 'counted') return;
        counted += 1;
        if (counted === 2) process.stdout.write('ready\n');
      });
    }
  });
  process.once('SIGTERM', () => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill();
    process.exit(0);
  });
} else {
  rateLimitRefusals.inc();
  process.send?.('counted');
}
