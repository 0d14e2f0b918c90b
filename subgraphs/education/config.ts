/**
 * The education subgraph's environment, parsed once at start. The API key has no default: a
 * subgraph that starts without one would only fail later, on the first request. Scope needs
 * social care too (SOCIAL_CARE_URL, SOCIAL_CARE_API_KEY) and the gateway's keys
 * (GATEWAY_JWKS_URL): see `loadScopeConfig`.
 */
import { z } from 'zod';
import { laCode, type ScopeConfig } from '../../lib/authz/subgraph-security';
import { httpUrl, isoDate, milliseconds, parseEnv, secret } from '../../lib/config';
import { subgraphConfig, subgraphEnv } from '../descriptor';

/** Where it listens unless PORT says otherwise (its descriptor's `defaultPort`). */
export const DEFAULT_PORT = 4002;

const educationEnvSchema = z.object({
  ...subgraphEnv(DEFAULT_PORT),
  EDUCATION_URL: httpUrl().default('http://127.0.0.1:4102'),
  EDUCATION_API_KEY: secret(),
  EDUCATION_TIMEOUT_MS: milliseconds(2_000),
  EDUCATION_DEADLINE_MS: milliseconds(5_000),
  EDUCATION_RETRIES: z.coerce.number().int().min(0).max(5).default(2),
  /** This authority's 3-digit code: decides `inAuthority` and which pupils link to social care. */
  LA_CODE: laCode(),
  /** Fixes "today" so the subgraph agrees with a seeded world. */
  AS_OF: isoDate().optional(),
});

export interface EducationUpstreamConfig {
  baseUrl: string;
  apiKey: string;
  timeoutMs: number;
  deadlineMs: number;
  retries: number;
}

export interface EducationConfig {
  port: number;
  education: EducationUpstreamConfig;
  laCode: string;
  asOf: string | undefined;
  production: boolean;
  /** Scope look-ups (social care facts, school rolls) and the gateway's keys. */
  scope: ScopeConfig;
}

export function loadEducationConfig(env: NodeJS.ProcessEnv = process.env): EducationConfig {
  const parsed = parseEnv(educationEnvSchema, env);
  return {
    ...subgraphConfig(parsed, env),
    education: {
      baseUrl: parsed.EDUCATION_URL,
      apiKey: parsed.EDUCATION_API_KEY,
      timeoutMs: parsed.EDUCATION_TIMEOUT_MS,
      deadlineMs: parsed.EDUCATION_DEADLINE_MS,
      retries: parsed.EDUCATION_RETRIES,
    },
    laCode: parsed.LA_CODE,
    asOf: parsed.AS_OF,
  };
}
