/**
 * Shapes shared by the three simulated council systems' HTTP APIs.
 *
 * These are the *upstream* contracts: payloads shaped after what the real systems hold
 * (SSDA903 fields, DfE codes, ledger lines), not after our GraphQL schema. The subgraphs map
 * them. The OpenAPI files under `schema/` document the same shapes for humans.
 */

/** Page metadata, after the MIS aggregation APIs schools already use (Wonde style). */
export interface Pagination {
  page: number;
  per_page: number;
  total: number;
  /** Path and query of the next page, or null on the last page. */
  next: string | null;
  more: boolean;
}

export interface Paged<T> {
  data: T[];
  meta: { pagination: Pagination };
}

/** A batch look-up answers with the records found; ids it does not know are listed, not errors. */
export interface Batch<T> {
  data: T[];
  meta: { missing: string[] };
}

/** Largest page, and largest batch, any simulator serves in one request. */
export const MAX_PER_PAGE = 500;

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
