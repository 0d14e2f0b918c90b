/**
 * Shapes shared by the three council systems' HTTP APIs (the simulators serve the same).
 *
 * These are the *upstream* contracts: payloads shaped after what the real systems hold
 * (SSDA903 fields, DfE codes, ledger lines), not after our GraphQL schema. The subgraphs map
 * them. `schema/openapi/<system>.yaml` documents the same shapes, and each system's
 * `contract.test.ts` checks the two agree.
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

/**
 * Largest page, and largest batch, the systems' APIs serve in one request (their documented
 * `per_page` maximum and `maxItems` of a batch; more answers 400).
 */
export const MAX_PER_PAGE = 500;

/**
 * Largest list one bulk export (`POST /api/v1/exports/...`, NDJSON) takes: a statutory
 * return's worth of children, read in one request.
 */
export const MAX_PER_EXPORT = 100_000;

/** What `GET /health` answers. */
export interface Health {
  status: 'ok';
  system: 'social-care' | 'education' | 'finance';
}

/** One route of a system's API, as its OpenAPI file names it ("/v1/schools/{urn}"). */
export interface UpstreamRoute {
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  /** The query parameters we send (checked against the operation's parameters). */
  query?: readonly string[];
  /** The OpenAPI schema of the 200 response (absent where the file writes it inline). */
  response?: string;
}

/** The route's path with its `{name}` parameters filled in (URL-encoded). */
export function pathOf(route: UpstreamRoute, params: Record<string, string> = {}): string {
  return route.path.replace(/\{([A-Za-z0-9_]+)\}/g, (_match, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`no value for {${name}} in ${route.path}`);
    return encodeURIComponent(value);
  });
}

/** "GET /v1/schools/{urn}": how the OpenAPI file and the logs name a route. */
export function routeName(route: UpstreamRoute): string {
  return `${route.method} ${route.path}`;
}
