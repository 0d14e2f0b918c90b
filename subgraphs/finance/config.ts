/**
 * The finance subgraph's environment, parsed once at start. The API key has no default: a
 * subgraph that starts without one would only fail later, on the first request. Scope needs
 * social care and education too (SOCIAL_CARE_*, EDUCATION_*, LA_CODE) and the gateway's keys
 * (GATEWAY_JWKS_URL): see `loadScopeConfig`.
 */
import { z } from 'zod';
import type { UpstreamSettings } from '../../upstream/common/http-client';
import { upstreamEnv, upstreamSettings } from '../../upstream/common/settings';
import type { ScopeConfig } from '../../lib/authz/subgraph-security';
import { isoDate, parseEnv } from '../../lib/config';
import { subgraphConfig, subgraphEnv } from '../descriptor';

/** Where it listens unless PORT says otherwise (its descriptor's `defaultPort`). */
export const DEFAULT_PORT = 4003;

const financeEnvSchema = z.object({
  ...subgraphEnv(DEFAULT_PORT),
  ...upstreamEnv('FINANCE'),
  /** Fixes "today" (the default financial year) so the subgraph agrees with a seeded world. */
  AS_OF: isoDate().optional(),
});

export interface FinanceConfig {
  port: number;
  /** Its council system (`FINANCE_URL`, `_API_KEY`, `_TIMEOUT_MS`, `_DEADLINE_MS`, `_RETRIES`). */
  finance: UpstreamSettings;
  asOf: string | undefined;
  production: boolean;
  /** Scope look-ups (social care facts, school rolls) and the gateway's keys. */
  scope: ScopeConfig;
}

export function loadFinanceConfig(env: NodeJS.ProcessEnv = process.env): FinanceConfig {
  const parsed = parseEnv(financeEnvSchema, env);
  return {
    ...subgraphConfig(parsed, env),
    finance: upstreamSettings(parsed, 'FINANCE'),
    asOf: parsed.AS_OF,
  };
}
