/**
 * The gateway's readiness: each subgraph (up: ready; degraded: answers but says it is not
 * ready, its council system being down; down: no answer) and each council system as the
 * subgraphs see it (up, degraded or down, with its circuit breaker), the worst report winning.
 * HTTP 200 while every subgraph answers, so the gateway can serve (a council system being down
 * costs the fields it serves, not the service: taking every replica out of the load balancer
 * for it would turn a partial outage into a total one); 503 when a subgraph does not answer.
 *
 * Names and states only: no URL, no error text, nothing about any caller or child.
 */
import type { RequestHandler } from 'express';
import { HEALTH_ROUTES } from '../lib/http/health-routes';
import {
  worseBreaker,
  worseState,
  type HealthState,
  type SystemHealth,
} from '../upstream/common/upstream-health';

export interface ReadinessReport {
  status: 'ready' | 'degraded' | 'not ready';
  subgraphs: Record<string, { state: HealthState }>;
  systems: Record<string, SystemHealth>;
}

/** The answer is shared for a moment, so a caller hammering it cannot load the subgraphs. */
const READINESS_CACHE_MS = 2_000;
const SUBGRAPH_TIMEOUT_MS = 2_000;

const HEALTH_STATES = new Set<string>(['up', 'degraded', 'down']);
const BREAKER_STATES = new Set<string>(['closed', 'half-open', 'open']);

interface SubgraphAnswer {
  state: HealthState;
  systems: Record<string, SystemHealth>;
}

export function readinessHandler(subgraphUrls: Record<string, string>): RequestHandler {
  const report = cachedFor(READINESS_CACHE_MS, () => readiness(subgraphUrls));
  return async (_req, res) => {
    const answer = await report();
    res.status(answer.status === 'not ready' ? 503 : 200).json(answer);
  };
}

export async function readiness(subgraphUrls: Record<string, string>): Promise<ReadinessReport> {
  const answers = await Promise.all(
    Object.entries(subgraphUrls).map(async ([name, url]) => [name, await ask(url)] as const),
  );
  const subgraphs: ReadinessReport['subgraphs'] = {};
  const systems: ReadinessReport['systems'] = {};
  for (const [name, answer] of answers) {
    subgraphs[name] = { state: answer.state };
    for (const [system, health] of Object.entries(answer.systems)) {
      const seen = systems[system];
      systems[system] = seen
        ? {
            state: worseState(seen.state, health.state),
            breaker: worseBreaker(seen.breaker, health.breaker),
          }
        : health;
    }
  }
  const states = [...Object.values(subgraphs), ...Object.values(systems)].map((s) => s.state);
  const status = Object.values(subgraphs).some((subgraph) => subgraph.state === 'down')
    ? 'not ready'
    : states.every((state) => state === 'up')
      ? 'ready'
      : 'degraded';
  return { status, subgraphs, systems };
}

/** One subgraph's readiness endpoint; only well-formed system reports are kept. */
async function ask(graphqlUrl: string): Promise<SubgraphAnswer> {
  try {
    const response = await fetch(new URL(HEALTH_ROUTES.ready, graphqlUrl), {
      signal: AbortSignal.timeout(SUBGRAPH_TIMEOUT_MS),
    });
    const body = (await response.json().catch(() => ({}))) as { systems?: unknown };
    return { state: response.ok ? 'up' : 'degraded', systems: systemsFrom(body.systems) };
  } catch {
    return { state: 'down', systems: {} };
  }
}

function systemsFrom(reported: unknown): Record<string, SystemHealth> {
  const systems: Record<string, SystemHealth> = {};
  if (typeof reported !== 'object' || reported === null) return systems;
  for (const [system, health] of Object.entries(reported)) {
    const { state, breaker } = (health ?? {}) as Record<string, unknown>;
    if (!/^[a-z][a-z -]{0,39}$/.test(system)) continue;
    if (typeof state !== 'string' || !HEALTH_STATES.has(state)) continue;
    if (typeof breaker !== 'string' || !BREAKER_STATES.has(breaker)) continue;
    systems[system] = { state: state as HealthState, breaker: breaker as SystemHealth['breaker'] };
  }
  return systems;
}

/** One shared answer (and one call in flight) per `ms`. */
function cachedFor<T>(ms: number, compute: () => Promise<T>): () => Promise<T> {
  let cached: { at: number; value: Promise<T> } | undefined;
  return () => {
    const now = Date.now();
    if (!cached || now - cached.at > ms) cached = { at: now, value: compute() };
    return cached.value;
  };
}
