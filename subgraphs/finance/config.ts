/**
 * The finance subgraph's environment, parsed once at start. The API key has no default: a
 * subgraph that starts without one would only fail later, on the first request. Scope needs
 * social care and education too (SOCIAL_CARE_*, EDUCATION_*, LA_CODE) and the gateway's keys
 * (GATEWAY_JWKS_URL): see `loadScopeConfig`.
 */
import { z } from 'zod';
import type { ScopeConfig } from '../../lib/authz/subgraph-security';
import { httpUrl, isoDate, milliseconds, parseEnv, secret } from '../../lib/config';
import { subgraphConfig, subgraphEnv } from '../descriptor';

/** Where it listens unless PORT says otherwise (its descriptor's `defaultPort`). */
export const DEFAULT_PORT = 4003;

const financeEnvSchema = z.object({
  ...subgraphEnv(DEFAULT_PORT),
  FINANCE_URL: httpUrl().default('http://127.0.0.1:4103'),
  FINANCE_API_KEY: secret(),
  FINANCE_TIMEOUT_MS: milliseconds(2_000),
  FINANCE_DEADLINE_MS: milliseconds(5_000),
  FINANCE_RETRIES: z.coerce.number().int().min(0).max(5).default(2),
  /** Fixes "today" (the default financial year) so the subgraph agrees with a seeded world. */
  AS_OF: isoDate().optional(),
});

export interface FinanceUpstreamConfig {
  baseUrl: string;
  apiKey: string;
  timeoutMs: number;
  deadlineMs: number;
  retries: number;
}

export interface FinanceConfig {
  port: number;
  finance: FinanceUpstreamConfig;
  asOf: string | undefined;
  production: boolean;
  /** Scope look-ups (social care facts, school rolls) and the gateway's keys. */
  scope: ScopeConfig;
}

export function loadFinanceConfig(env: NodeJS.ProcessEnv = process.env): FinanceConfig {
  const parsed = parseEnv(financeEnvSchema, env);
  return {
    ...subgraphConfig(parsed, env),
    finance: {
      baseUrl: parsed.FINANCE_URL,
      apiKey: parsed.FINANCE_API_KEY,
      timeoutMs: parsed.FINANCE_TIMEOUT_MS,
      deadlineMs: parsed.FINANCE_DEADLINE_MS,
      retries: parsed.FINANCE_RETRIES,
    },
    asOf: parsed.AS_OF,
  };
}
