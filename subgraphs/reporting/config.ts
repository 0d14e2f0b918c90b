/**
 * The reporting subgraph's environment, parsed once at start. It reads all three council
 * systems (API keys required, no defaults), shares the scope settings every subgraph parses
 * (SOCIAL_CARE_*, EDUCATION_*, LA_CODE, GATEWAY_JWKS_URL: see `loadScopeConfig`), and adds
 * its own: bulk-read timeouts and concurrency, and how long a report is served from cache.
 */
import { z } from 'zod';
import { loadScopeConfig, type ScopeConfig } from '../../lib/authz/subgraph-security';
import { httpUrl, isoDate, milliseconds, parseEnv, secret } from '../../lib/config';
import { subgraphConfig, subgraphEnv } from '../descriptor';
import { DEFAULT_MAX_CELLS } from './cell-cap';

/** Where it listens unless PORT says otherwise (its descriptor's `defaultPort`). */
export const DEFAULT_PORT = 4005;

const reportingEnvSchema = z.object({
  ...subgraphEnv(DEFAULT_PORT),
  FINANCE_URL: httpUrl().default('http://127.0.0.1:4103'),
  FINANCE_API_KEY: secret(),
  /** One page of a bulk read (500 children with their histories) may take a while. */
  REPORTING_TIMEOUT_MS: milliseconds(10_000),
  REPORTING_DEADLINE_MS: milliseconds(30_000),
  REPORTING_RETRIES: z.coerce.number().int().min(0).max(5).default(2),
  /** Requests in flight at once to each council system while a report is read. */
  REPORTING_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(4),
  /**
   * Read a report's children through the systems' bulk exports (a fixed number of requests
   * per system); false reads them 500 a page, as systems without exports must be read.
   */
  REPORTING_BULK_EXPORT: z
    .enum(['true', 'false'])
    .default('true')
    .transform((value) => value === 'true'),
  /** Most cells (bands, or pairs of bands) one report may have; more is refused, unread. */
  REPORT_MAX_CELLS: z.coerce.number().int().min(1).max(1_000_000).default(DEFAULT_MAX_CELLS),
  /** How long a report is served again from cache (0 turns the cache off). */
  REPORT_CACHE_TTL_MS: z.coerce.number().int().min(0).max(3_600_000).default(60_000),
  /** Fixes "today" so the subgraph agrees with a seeded world. */
  AS_OF: isoDate().optional(),
});

interface Endpoint {
  baseUrl: string;
  apiKey: string;
}

export interface ReportingConfig {
  port: number;
  homeLa: string;
  socialCare: Endpoint;
  education: Endpoint;
  finance: Endpoint;
  upstream: { timeoutMs: number; deadlineMs: number; retries: number };
  concurrency: number;
  bulkExport: boolean;
  maxCells: number;
  cacheTtlMs: number;
  asOf: string | undefined;
  production: boolean;
  /** The gateway's keys (for a subgraph started on its own). */
  scope: ScopeConfig;
}

export function loadReportingConfig(env: NodeJS.ProcessEnv = process.env): ReportingConfig {
  const parsed = parseEnv(reportingEnvSchema, env);
  const scope = loadScopeConfig(env);
  return {
    ...subgraphConfig(parsed, env, scope),
    homeLa: scope.homeLa,
    socialCare: scope.socialCare,
    education: scope.education,
    finance: { baseUrl: parsed.FINANCE_URL, apiKey: parsed.FINANCE_API_KEY },
    upstream: {
      timeoutMs: parsed.REPORTING_TIMEOUT_MS,
      deadlineMs: parsed.REPORTING_DEADLINE_MS,
      retries: parsed.REPORTING_RETRIES,
    },
    concurrency: parsed.REPORTING_CONCURRENCY,
    bulkExport: parsed.REPORTING_BULK_EXPORT,
    maxCells: parsed.REPORT_MAX_CELLS,
    cacheTtlMs: parsed.REPORT_CACHE_TTL_MS,
    asOf: parsed.AS_OF,
  };
}
