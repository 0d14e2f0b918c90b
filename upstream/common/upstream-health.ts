/**
 * How each council system looks from this process, for readiness and the breaker-state metric:
 * every `UpstreamClient` registers here while open, reporting its breaker and the outcomes of
 * its recent calls; a system's state is the worst of its clients'.
 *
 * - down: its health check does not answer, a breaker is open, or its latest calls all failed;
 * - degraded: a breaker is half-open, or some recent calls failed;
 * - up: otherwise.
 *
 * Only system names, states and counts: no URL, no credential, nothing a call carried.
 */
import { upstreamBreakerState } from '../../lib/observability/metrics';

export type BreakerState = 'closed' | 'half-open' | 'open';
export type HealthState = 'up' | 'degraded' | 'down';

export interface SystemHealth {
  state: HealthState;
  breaker: BreakerState;
}

/** Outcomes of the last calls, within a minute: old news says nothing about now. */
const WINDOW_CALLS = 20;
const WINDOW_MS = 60_000;
/** This many latest calls failed in a row is "down"; fewer, "degraded". */
const DOWN_AFTER_FAILURES = 3;

export class UpstreamHealth {
  breaker: BreakerState = 'closed';
  private outcomes: Array<{ at: number; ok: boolean }> = [];

  constructor(
    readonly system: string,
    /** True when the system answers its health check (no retries, no breaker). */
    readonly probe: () => Promise<boolean>,
  ) {}

  record(ok: boolean): void {
    this.outcomes.push({ at: Date.now(), ok });
    if (this.outcomes.length > WINDOW_CALLS) this.outcomes.shift();
  }

  setBreaker(state: BreakerState): void {
    this.breaker = state;
    publishBreakerState(this.system);
  }

  /** The state from what its calls have seen (the health check is the caller's part). */
  observedState(): HealthState {
    if (this.breaker === 'open') return 'down';
    const since = Date.now() - WINDOW_MS;
    const recent = this.outcomes.filter((outcome) => outcome.at >= since);
    const latest = recent.slice(-DOWN_AFTER_FAILURES);
    if (latest.length === DOWN_AFTER_FAILURES && latest.every((outcome) => !outcome.ok))
      return 'down';
    if (recent.some((outcome) => !outcome.ok) || this.breaker === 'half-open') return 'degraded';
    return 'up';
  }
}

const open = new Set<UpstreamHealth>();

export function trackUpstream(health: UpstreamHealth): () => void {
  open.add(health);
  publishBreakerState(health.system);
  return () => {
    open.delete(health);
    publishBreakerState(health.system);
  };
}

const STATE_ORDER: Record<HealthState, number> = { up: 0, degraded: 1, down: 2 };
const BREAKER_ORDER: Record<BreakerState, number> = { closed: 0, 'half-open': 1, open: 2 };

export function worseState(a: HealthState, b: HealthState): HealthState {
  return STATE_ORDER[a] >= STATE_ORDER[b] ? a : b;
}

export function worseBreaker(a: BreakerState, b: BreakerState): BreakerState {
  return BREAKER_ORDER[a] >= BREAKER_ORDER[b] ? a : b;
}

function clientsOf(system: string): UpstreamHealth[] {
  return [...open].filter((health) => health.system === system);
}

function publishBreakerState(system: string): void {
  const worst = clientsOf(system).reduce<BreakerState>(
    (state, health) => worseBreaker(state, health.breaker),
    'closed',
  );
  upstreamBreakerState.set({ system }, BREAKER_ORDER[worst]);
}

/** Every council system this process calls: its state (its health check asked once) and breaker. */
export async function upstreamHealthReport(): Promise<Record<string, SystemHealth>> {
  const systems = [...new Set([...open].map((health) => health.system))].sort();
  const entries = await Promise.all(
    systems.map(async (system): Promise<[string, SystemHealth]> => {
      const clients = clientsOf(system);
      const reachable = await clients[0]!.probe().catch(() => false);
      let state: HealthState = reachable ? 'up' : 'down';
      let breaker: BreakerState = 'closed';
      for (const client of clients) {
        state = worseState(state, client.observedState());
        breaker = worseBreaker(breaker, client.breaker);
      }
      return [system, { state, breaker }];
    }),
  );
  return Object.fromEntries(entries);
}
