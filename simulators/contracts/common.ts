/**
 * The simulators' own control API (`/_sim/*`, not in the real systems): the misbehaviour they
 * can be told to show and the request counters they keep, for tests and benchmarks. The
 * council systems' contracts are in `upstream/`.
 */

/** Misbehaviour a simulator can be told to show, for tests and benchmarks. */
export interface FaultConfig {
  /** Added to every response, in milliseconds. */
  latencyMs: number;
  /** Share of requests (0..1) answered 503. */
  errorRate: number;
  /** Share of requests (0..1) that are accepted and never answered. */
  timeoutRate: number;
  /** Share of requests (0..1) answered 200 with a body that is not valid JSON. */
  malformedRate: number;
}

/** What `GET /_sim/stats` answers: requests served since start or the last reset. */
export interface SimulatorStats {
  system: 'social-care' | 'education' | 'finance';
  requests: number;
  /** Keyed by "METHOD /route/pattern", e.g. "POST /api/v1/children/search". */
  byRoute: Record<string, number>;
}
