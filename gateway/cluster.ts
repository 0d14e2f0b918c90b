/**
 * One gateway worker per core: the gateway is CPU-bound (query planning, JSON, token checks),
 * so one Node process uses one core whatever the machine has. With `GATEWAY_WORKERS` above 1
 * the gateway's entry point becomes a small primary that forks that many workers (node:cluster:
 * they share the listening port, the primary hands out connections), restarts a worker that
 * dies after it started serving, and on SIGTERM/SIGINT sends SIGTERM to every worker and exits
 * when all have drained (each worker's own handler drains it). With 1 (the default) nothing is forked: one process, as before.
 */
import cluster, { type Worker } from 'node:cluster';
import { generateKeyPairSync } from 'node:crypto';
import os from 'node:os';
import { z } from 'zod';
import { parseEnv } from '../lib/config';
import { logger } from '../lib/logger';

const clusterEnvSchema = z.object({
  /** Worker processes: a whole number, or `auto` for one per core this machine has. */
  GATEWAY_WORKERS: z.union([z.literal('auto'), z.coerce.number().int().min(1).max(256)]).default(1),
});

/** How many gateway workers `env` asks for (`auto`: one per core Node can use). */
export function gatewayWorkers(env: NodeJS.ProcessEnv = process.env): number {
  const parsed = parseEnv(clusterEnvSchema, env);
  return parsed.GATEWAY_WORKERS === 'auto' ? os.availableParallelism() : parsed.GATEWAY_WORKERS;
}

/** A worker that died after it started serving is replaced after this pause (no tight crash loop). */
const RESTART_DELAY_MS = 1_000;

/**
 * Run `worker` in this process (one worker) or in `workers` forked processes. A worker counts
 * as started once it listens; one that exits before that is a start-up failure (bad settings,
 * no database), which restarting would only repeat, so the primary stops the rest and exits 1.
 */
export function runClustered(workers: number, worker: () => void): void {
  if (workers <= 1 || cluster.isWorker) {
    worker();
    return;
  }
  runPrimary(workers, primaryEnv(process.env));
}

/**
 * What workers are given besides the primary's environment. Every worker must sign subgraph
 * tokens with the same key, or a subgraph would refuse the tokens of all but the worker whose
 * key set it fetched: outside production (where the key is required) the primary makes one.
 */
function primaryEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  if (env.GATEWAY_SIGNING_KEY || env.NODE_ENV === 'production') return {};
  const { privateKey } = generateKeyPairSync('ec', {
    namedCurve: 'P-256',
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return { GATEWAY_SIGNING_KEY: privateKey };
}

function runPrimary(count: number, workerEnv: NodeJS.ProcessEnv): void {
  let stopping = false;
  const live = new Set<Worker>();
  const started = new WeakSet<Worker>();
  const fork = (): void => {
    const worker = cluster.fork(workerEnv);
    live.add(worker);
    worker.once('listening', () => started.add(worker));
  };
  const stop = (exitCode: number): void => {
    if (stopping) return;
    stopping = true;
    process.exitCode = exitCode;
    if (live.size === 0) process.exit(exitCode);
    // Each worker drains its own requests (its SIGTERM handler); the primary only waits. Always
    // SIGTERM: after Ctrl-C the workers have had the terminal's SIGINT already.
    for (const worker of live) worker.process.kill('SIGTERM');
  };
  cluster.on('exit', (worker, code, signal) => {
    live.delete(worker);
    if (stopping) {
      if (live.size === 0) {
        logger.info('gateway workers stopped');
        process.exit(process.exitCode ?? 0);
      }
      return;
    }
    if (!started.has(worker)) {
      logger.error('gateway worker failed to start; stopping', { code });
      stop(1);
      return;
    }
    logger.warn('gateway worker died; starting another', { code, signal });
    setTimeout(() => {
      if (!stopping) fork();
    }, RESTART_DELAY_MS);
  });
  process.once('SIGTERM', () => stop(0));
  process.once('SIGINT', () => stop(0));
  logger.info('gateway starting workers', { workers: count });
  for (let i = 0; i < count; i += 1) fork();
}
