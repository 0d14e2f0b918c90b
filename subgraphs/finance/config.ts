/**
 * The finance subgraph's environment, parsed once at start. The API key has no default: a
 * subgraph that starts without one would only fail later, on the first request. Scope needs
 * social care and education too (SOCIAL_CARE_*, EDUCATION_*, LA_CODE) and the gateway's keys
 * (GATEWAY_JWKS_URL): see `loadScopeConfig`.
 */
import { z } from 'zod';
import { loadScopeConfig, type ScopeConfig } from '../../lib/authz/subgraph-security';
import { httpUrl, isoDate, milliseconds, parseEnv, port, secret } from '../../lib/config';

const financeEnvSchema = z.object({
  PORT: port(4003),
  FINANCE_URL: httpUrl().default('http://127.0.0.1:4103'),
  FINANCE_API_KEY: secret(),
  FINANCE_TIMEOUT_MS: milliseconds(2_000),
  FINANCE_DEADLINE_MS: milliseconds(5_000),
  FINANCE_RETRIES: z.coerce.number().int().min(0).max(5).default(2),
  /** Fixes "today" (the default financial year) so the subgraph agrees with a seeded world. */
  AS_OF: isoDate().optional(),
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
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
    port: parsed.PORT,
    finance: {
      baseUrl: parsed.FINANCE_URL,
      apiKey: parsed.FINANCE_API_KEY,
      timeoutMs: parsed.FINANCE_TIMEOUT_MS,
      deadlineMs: parsed.FINANCE_DEADLINE_MS,
      retries: parsed.FINANCE_RETRIES,
    },
    asOf: parsed.AS_OF,
    production: parsed.NODE_ENV === 'production',
    scope: loadScopeConfig(env),
  };
}
