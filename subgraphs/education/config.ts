/**
 * The education subgraph's environment, parsed once at start. The API key has no default: a
 * subgraph that starts without one would only fail later, on the first request. Scope needs
 * social care too (SOCIAL_CARE_URL, SOCIAL_CARE_API_KEY) and the gateway's keys
 * (GATEWAY_JWKS_URL): see `loadScopeConfig`.
 */
import { z } from 'zod';
import type { UpstreamSettings } from '../../upstream/common/http-client';
import { upstreamEnv, upstreamSettings } from '../../upstream/common/settings';
import { laCode, type ScopeConfig } from '../../lib/authz/subgraph-security';
import { isoDate, parseEnv } from '../../lib/config';
import { subgraphConfig, subgraphEnv } from '../descriptor';

/** Where it listens unless PORT says otherwise (its descriptor's `defaultPort`). */
export const DEFAULT_PORT = 4002;

const educationEnvSchema = z.object({
  ...subgraphEnv(DEFAULT_PORT),
  ...upstreamEnv('EDUCATION'),
  /** This authority's 3-digit code: decides `inAuthority` and which pupils link to social care. */
  LA_CODE: laCode(),
  /** Fixes "today" so the subgraph agrees with a seeded world. */
  AS_OF: isoDate().optional(),
});

export interface EducationConfig {
  port: number;
  /** Its council system (`EDUCATION_URL`, `_API_KEY`, `_TIMEOUT_MS`, `_DEADLINE_MS`, `_RETRIES`). */
  education: UpstreamSettings;
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
    education: upstreamSettings(parsed, 'EDUCATION'),
    laCode: parsed.LA_CODE,
    asOf: parsed.AS_OF,
  };
}
