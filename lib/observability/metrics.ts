/**
 * The Prometheus metrics of one process (prom-client), in one registry served on a port of its
 * own (`metrics-server.ts`), never on the public one. Every name is listed in the README's
 * metrics table, which a test scrapes against. Labels carry system, subgraph and operation
 * names and error codes only: never an id or anything a child's record holds.
 */
import cluster from 'node:cluster';
import {
  AggregatorRegistry,
  Counter,
  Gauge,
  Histogram,
  Registry,
  collectDefaultMetrics,
} from 'prom-client';

export const metricsRegistry = new Registry();
// A cluster worker answers its primary's scrape with this registry (metrics-server.ts); prom-client
// starts answering once an AggregatorRegistry exists in the worker.
AggregatorRegistry.setRegistries([metricsRegistry]);
if (cluster.isWorker) new AggregatorRegistry();
collectDefaultMetrics({ register: metricsRegistry, prefix: 'cla_graph_process_' });

const registers = [metricsRegistry];
/** Seconds; from a cached answer (a few ms) to the reporting deadline (60 s). */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

export const gatewayRequests = new Counter({
  name: 'cla_graph_gateway_requests_total',
  help: 'GraphQL requests answered by the gateway, by operation name',
  labelNames: ['operation'] as const,
  registers,
});
export const gatewayErrors = new Counter({
  name: 'cla_graph_gateway_errors_total',
  help: 'Errors in GraphQL responses, by operation name and error code',
  labelNames: ['operation', 'code'] as const,
  registers,
});
export const gatewayRequestDuration = new Histogram({
  name: 'cla_graph_gateway_request_duration_seconds',
  help: 'GraphQL request latency at the gateway, by operation name',
  labelNames: ['operation'] as const,
  buckets: LATENCY_BUCKETS,
  registers,
});
export const subgraphFetchDuration = new Histogram({
  name: 'cla_graph_subgraph_fetch_duration_seconds',
  help: "The gateway's calls to each subgraph: latency",
  labelNames: ['subgraph'] as const,
  buckets: LATENCY_BUCKETS,
  registers,
});
export const subgraphFetchErrors = new Counter({
  name: 'cla_graph_subgraph_fetch_errors_total',
  help: "The gateway's failed calls to each subgraph (network, timeout or HTTP status)",
  labelNames: ['subgraph', 'kind'] as const,
  registers,
});
export const upstreamDuration = new Histogram({
  name: 'cla_graph_upstream_request_duration_seconds',
  help: 'Calls to each council system (retries included): latency',
  labelNames: ['system', 'method'] as const,
  buckets: LATENCY_BUCKETS,
  registers,
});
export const upstreamErrors = new Counter({
  name: 'cla_graph_upstream_errors_total',
  help: 'Failed calls to each council system, by failure (status, network, malformed, circuit open)',
  labelNames: ['system', 'failure'] as const,
  registers,
});
export const upstreamBreakerState = new Gauge({
  name: 'cla_graph_upstream_circuit_breaker_state',
  help: "Each council system's circuit breaker, the worst of this process's clients: 0 closed, 1 half-open, 2 open",
  labelNames: ['system'] as const,
  registers,
});
export const rateLimitRefusals = new Counter({
  name: 'cla_graph_rate_limit_refusals_total',
  help: 'Requests refused by the per-caller rate limit (HTTP 429)',
  registers,
});
export const auditWriteDuration = new Histogram({
  name: 'cla_graph_audit_write_duration_seconds',
  help: 'Access log writes (one insert per request): latency',
  buckets: LATENCY_BUCKETS,
  registers,
});
export const auditWriteFailures = new Counter({
  name: 'cla_graph_audit_write_failures_total',
  help: 'Access log writes that failed (the response was withheld: AUDIT_UNAVAILABLE)',
  registers,
});
export const cacheLookups = new Counter({
  name: 'cla_graph_cache_lookups_total',
  help: 'Cache look-ups by cache and result (hit or miss)',
  labelNames: ['cache', 'result'] as const,
  registers,
});

/** Seconds since `startedAt` (a `performance.now()` reading). */
export function secondsSince(startedAt: number): number {
  return (performance.now() - startedAt) / 1000;
}

const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
/** Distinct operation names kept as labels; clients choose them, so their number is capped. */
const MAX_OPERATION_LABELS = 200;
const seenOperations = new Set<string>();

/**
 * An operation name fit for a label: GraphQL-name shaped and among the first
 * `MAX_OPERATION_LABELS` seen, else "other"; "anonymous" when there is none.
 */
export function operationLabel(name: string | null | undefined): string {
  if (!name) return 'anonymous';
  if (!OPERATION_NAME.test(name)) return 'other';
  if (seenOperations.has(name)) return name;
  if (seenOperations.size >= MAX_OPERATION_LABELS) return 'other';
  seenOperations.add(name);
  return name;
}
