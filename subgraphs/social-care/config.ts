/**
 * The social care subgraph's environment, parsed once at start. The API key has no default: a
 * subgraph that starts without one would only fail later, on the first request.
 */
import { z } from 'zod';
import type { UpstreamSettings } from '../../upstream/common/http-client';
import { upstreamEnv, upstreamSettings } from '../../upstream/common/settings';
import { laCode, type ScopeConfig } from '../../lib/authz/subgraph-security';
import { isoDate, parseEnv } from '../../lib/config';
import { subgraphConfig, subgraphEnv } from '../descriptor';

/** Where it listens unless PORT says otherwise (its descriptor's `defaultPort`). */
export const DEFAULT_PORT = 4001;

const socialCareEnvSchema = z.object({
  ...subgraphEnv(DEFAULT_PORT),
  ...upstreamEnv('SOCIAL_CARE'),
  /** This authority's 3-digit code: the placing authority, and what "out of area" is measured from. */
  LA_CODE: laCode(),
  LA_NAME: z.string().trim().min(1).default('Knowsley'),
  /** Fixes "today" (ages, PEP timeliness) so the subgraph agrees with a seeded world. */
  AS_OF: isoDate().optional(),
});

export interface SocialCareConfig {
  port: number;
  /** Its council system (`SOCIAL_CARE_URL`, `_API_KEY`, `_TIMEOUT_MS`, `_DEADLINE_MS`, `_RETRIES`). */
  socialCare: UpstreamSettings;
  /** The authority this deployment serves. */
  la: { code: string; name: string };
  asOf: string | undefined;
  production: boolean;
  /** Scope look-ups (school rolls) and the gateway's keys. */
  scope: ScopeConfig;
}

export function loadSocialCareConfig(env: NodeJS.ProcessEnv = process.env): SocialCareConfig {
  const parsed = parseEnv(socialCareEnvSchema, env);
  return {
    ...subgraphConfig(parsed, env),
    socialCare: upstreamSettings(parsed, 'SOCIAL_CARE'),
    la: { code: parsed.LA_CODE, name: parsed.LA_NAME },
    asOf: parsed.AS_OF,
  };
}
